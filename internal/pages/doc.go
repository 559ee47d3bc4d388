// Package pages keeps rendered product pages: the key a stored page is
// valid under, the store it is kept in, and the warmer that renders the
// pages a write has made stale before anyone asks for them.
//
// A product page costs about 3 ms of the machine's CPU to read and render
// at 100,000 products; a stored page costs a primary-key read. A stored
// page is only sent while the catalogue's generation, the day and the
// program's version are those it was rendered with, so a write never lets
// a reader see a page older than the write.
//
// The package imports neither echo nor gorm: the web layer renders, the
// store keeps.
package pages
