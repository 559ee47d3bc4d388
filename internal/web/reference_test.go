package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/views"
)

// TestReference: the reference data page shows, in both languages, the
// rule version and every regime, adequacy decision, perspective and
// licence the rules use, each with its sources, in accessible tables.
func TestReference(t *testing.T) {
	s := newSite(t)
	ref := sovereignty.DefaultReference()
	tests := []struct{ lang, h1, noSource string }{
		{"de", "Referenzdaten", "Noch keine Quelle abgerufen"},
		{"en", "Reference data", "No source retrieved yet"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			status, doc, body := s.get(t, "/methodology/reference?lang="+tt.lang, "")
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if got := h1(doc); got != tt.h1 {
				t.Errorf("h1 %q, want %q", got, tt.h1)
			}
			if l, _ := doc.Find("html").Attr("lang"); l != tt.lang {
				t.Errorf("html lang %q, want %q", l, tt.lang)
			}
			main := doc.Find("main")
			if !strings.Contains(main.Find(".summary-list").First().Text(), sovereignty.RuleVersion) {
				t.Errorf("rule version %s not shown", sovereignty.RuleVersion)
			}
			if doc.Find(`time[datetime="`+ref.StatusAsOf.Format("2006-01-02")+`"]`).Length() == 0 {
				t.Error("reference date not shown")
			}

			t.Run("regimes", func(t *testing.T) {
				if n, want := main.Find("table.reference-regimes tbody tr").Length(), len(ref.Regimes); n != want {
					t.Errorf("%d regime rows, want %d", n, want)
				}
				for _, g := range ref.Regimes {
					row := main.Find(`tr[id="regime-` + g.ID + `"]`)
					if row.Length() != 1 {
						t.Errorf("regime %s: %d rows, want 1", g.ID, row.Length())
						continue
					}
					if name := g.Label().In(tt.lang); !strings.Contains(row.Find(`th[scope="row"]`).Text(), name) {
						t.Errorf("regime %s: name %q not in its row header", g.ID, name)
					}
					if !strings.Contains(row.Text(), g.Jurisdiction) {
						t.Errorf("regime %s: jurisdiction %s not shown", g.ID, g.Jurisdiction)
					}
					if g.Status != "" && !strings.Contains(row.Text(), g.Status) {
						t.Errorf("regime %s: status %q not shown", g.ID, g.Status)
					}
					if row.Find(`time[datetime="`+g.StatusAsOf.Format("2006-01-02")+`"]`).Length() != 1 {
						t.Errorf("regime %s: status date not shown", g.ID)
					}
					urls := sourceURLs(g.Sources)
					for _, u := range urls {
						if row.Find(`a[href="`+u+`"]`).Length() != 1 {
							t.Errorf("regime %s: no link to its source %s", g.ID, u)
						}
					}
					links := row.Find(".source-list a[href]").Length()
					switch {
					case len(urls) > 0 && links == 0:
						t.Errorf("regime %s: no source link", g.ID)
					case len(g.Sources) == 0 && !strings.Contains(row.Text(), tt.noSource):
						t.Errorf("regime %s has no source, and its row does not say so", g.ID)
					}
				}
			})

			t.Run("adequacy", func(t *testing.T) {
				for _, a := range ref.Adequacy {
					row := main.Find(`tr[id="adequacy-` + strings.ToLower(a.Country) + `"]`)
					if row.Length() != 1 {
						t.Errorf("adequacy %s: %d rows, want 1", a.Country, row.Length())
						continue
					}
					if !strings.Contains(row.Find("th").Text(), a.Country) {
						t.Errorf("adequacy %s: destination not named", a.Country)
					}
					if row.Find(`a[href="`+ref.Sources["adequacy"]+`"]`).Length() != 1 {
						t.Errorf("adequacy %s: no source link", a.Country)
					}
				}
			})

			t.Run("perspectives", func(t *testing.T) {
				for _, ps := range sovereignty.Perspectives(ref) {
					row := main.Find(`tr[id="perspective-` + ps.Name + `"]`)
					if row.Length() != 1 {
						t.Errorf("perspective %s: %d rows, want 1", ps.Name, row.Length())
						continue
					}
					if !strings.Contains(row.Find("th").Text(), ps.Label[tt.lang]) {
						t.Errorf("perspective %s: label %q not shown", ps.Name, ps.Label[tt.lang])
					}
					if home := strings.Join(ps.HomeCountries(), ", "); !strings.Contains(row.Text(), home) {
						t.Errorf("perspective %s: home %q not shown", ps.Name, home)
					}
				}
			})

			t.Run("licences", func(t *testing.T) {
				var shown []string
				main.Find(".reference-licenses code").Each(func(_ int, s *goquery.Selection) { shown = append(shown, s.Text()) })
				want := sovereignty.OSIApprovedLicenses()
				if strings.Join(shown, " ") != strings.Join(want, " ") {
					t.Errorf("licences shown %q, want %q", shown, want)
				}
				for _, l := range shown {
					if !sovereignty.IsOSIApproved(l) {
						t.Errorf("licence %s is listed but IsOSIApproved says no", l)
					}
				}
				if main.Find(`a[href="`+sovereignty.OSIListSource+`"]`).Length() != 1 {
					t.Error("no link to the OSI list")
				}
			})

			t.Run("accessible tables", func(t *testing.T) {
				tables := main.Find("table")
				if tables.Length() != 3 {
					t.Errorf("%d tables, want regimes, adequacy and perspectives", tables.Length())
				}
				tables.Each(func(i int, tb *goquery.Selection) {
					if strings.TrimSpace(tb.Find("caption").Text()) == "" {
						t.Errorf("table %d has no caption", i)
					}
					tb.Find("thead th").Each(func(_ int, th *goquery.Selection) {
						if sc, _ := th.Attr("scope"); sc != "col" {
							t.Errorf("table %d: column header %q without scope=col", i, th.Text())
						}
					})
					tb.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
						if sc, _ := tr.Find("th").First().Attr("scope"); sc != "row" {
							t.Errorf("table %d: row %q has no row header", i, strings.TrimSpace(tr.Text()))
						}
					})
				})
			})

			// External links leave the site safely; nothing edits the data.
			main.Find(`a[href^="http"]`).Each(func(_ int, a *goquery.Selection) {
				if rel, _ := a.Attr("rel"); !strings.Contains(rel, "noopener") {
					t.Errorf("external link %s without rel=noopener", a.AttrOr("href", ""))
				}
			})
			if n := main.Find("form").Length(); n != 0 {
				t.Errorf("%d forms on a read-only page", n)
			}
			checkSafeHTML(t, body)
			for _, problem := range pageProblems(doc, body) {
				t.Error(problem)
			}
		})
	}
}

// TestReference_Linked: the methodology page and the admin overview lead
// to the reference data page.
func TestReference_Linked(t *testing.T) {
	s := newSite(t)
	for _, lang := range []string{"de", "en"} {
		_, doc, _ := s.get(t, "/methodology?lang="+lang, "")
		if index(hrefs(doc, ".methodology__meta a"), "/methodology/reference") < 0 {
			t.Errorf("%s: the methodology page does not link to the reference data", lang)
		}
	}

	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		p := views.Page{Lang: lang, Path: "/admin", T: bundle.Localizer(lang).T, Asset: func(n string) string { return "/static/" + n },
			User: &views.UserInfo{Name: "Ada", Roles: []string{"admin"}}}
		var buf bytes.Buffer
		if err := views.AdminHome(p, views.AdminHomeProps{Audit: true}).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		link := doc.Find(`main a[href="/methodology/reference"]`)
		if link.Length() != 1 {
			t.Fatalf("%s: the admin overview has %d links to the reference data, want 1", lang, link.Length())
		}
		want := map[string]string{"de": "neue Regelversion", "en": "new rule version"}[lang]
		if summary := link.Closest("li").Text(); !strings.Contains(summary, want) {
			t.Errorf("%s: the admin overview does not say that reference data changes through a %s: %q", lang, want, summary)
		}
	}
}

// sourceURLs returns the URLs that start a regime's source strings.
func sourceURLs(sources []string) []string {
	var out []string
	for _, s := range sources {
		first, _, _ := strings.Cut(strings.TrimSpace(s), " ")
		if strings.HasPrefix(first, "https://") || strings.HasPrefix(first, "http://") {
			out = append(out, first)
		}
	}
	return out
}
