package web_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHome_LevelChart(t *testing.T) {
	s := newSite(t)
	st, err := s.svc.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/?lang=de", "/?lang=en", "/?perspective=de", "/?perspective=ch&lang=en"} {
		t.Run(path, func(t *testing.T) {
			status, doc, body := s.get(t, path, "")
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			svg := doc.Find(".level-chart svg.level-chart__svg")
			if svg.Length() != 1 {
				t.Fatalf("%d chart SVGs, want 1", svg.Length())
			}
			if r, _ := svg.Attr("role"); r != "img" {
				t.Errorf("svg role %q, want img", r)
			}
			if strings.TrimSpace(svg.ChildrenFiltered("title").Text()) == "" {
				t.Error("svg has no title")
			}
			if svg.Find("rect").Length() == 0 {
				t.Error("chart has no bars")
			}
			svg.Find("rect").Each(func(_ int, r *goquery.Selection) {
				if strings.TrimSpace(r.Parent().ChildrenFiltered("title").Text()) == "" {
					t.Error("a bar segment has no title")
				}
			})
			if n := doc.Find(".level-chart__legend li").Length(); n != 6 {
				t.Errorf("legend has %d entries, want RSL-0 … RSL-4 and not assessed", n)
			}
			// The data table: every row adds up to its total, the totals
			// to the number of products.
			sum := 0
			doc.Find(".level-chart__table tbody tr").Each(func(_ int, tr *goquery.Selection) {
				cells := tr.Find("td")
				n := 0
				for i := 0; i < cells.Length()-1; i++ {
					n += atoi(t, cells.Eq(i).Text())
				}
				if total := atoi(t, cells.Last().Text()); n != total {
					t.Errorf("row %q adds up to %d, total says %d", strings.TrimSpace(tr.Find("th").Text()), n, total)
				}
				sum += n
			})
			if sum != st.Products {
				t.Errorf("table counts add up to %d, want %d products", sum, st.Products)
			}
			if total := atoi(t, doc.Find(".level-chart__table tfoot td").Last().Text()); total != st.Products {
				t.Errorf("table total %d, want %d", total, st.Products)
			}
			checkXML(t, chartSVG.FindString(body))
			links(".home-outage a", "/impact?failed=cloudflare")(t, doc)
			for _, problem := range pageProblems(doc, body) {
				t.Error(problem)
			}
		})
	}
}

func TestHome_BadPerspective(t *testing.T) {
	s := newSite(t)
	if status, _, _ := s.get(t, "/?perspective=mars", ""); status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", status)
	}
}

var chartSVG = regexp.MustCompile(`(?s)<svg class="level-chart__svg".*?</svg>`)

// checkXML fails unless src is a well-formed XML document.
func checkXML(t *testing.T, src string) {
	t.Helper()
	if src == "" {
		t.Error("no SVG to parse")
		return
	}
	d := xml.NewDecoder(strings.NewReader(src))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Errorf("SVG is not well-formed XML: %v", err)
			return
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		t.Errorf("not a number: %q", s)
	}
	return n
}
