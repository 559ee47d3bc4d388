package api

import (
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// levelDTO is the stored classification of a product under one
// perspective: the overall level (the weakest gating objective), each
// objective's level, and how sure it is. Levels are 0 (RSL-0, not
// sovereign) to 4 (RSL-4, sovereign).
type levelDTO struct {
	Overall     int                 `json:"overall"`
	Label       textDTO             `json:"label"`
	Objectives  []objectiveLevelDTO `json:"objectives"`
	Provisional bool                `json:"provisional"`
	Pessimistic int                 `json:"pessimistic"`
	RuleVersion string              `json:"rule_version"`
	Perspective string              `json:"perspective"`
}

// objectiveLevelDTO is one gating objective; Level is null when none of
// its criteria could be answered.
type objectiveLevelDTO struct {
	ID    string  `json:"id"`
	Name  textDTO `json:"name"`
	Level *int    `json:"level"`
}

func toText(t sovereignty.Text) textDTO { return textDTO{DE: t.DE, EN: t.EN} }

// toLevel maps a stored level; nil (unclassified) stays nil, so the
// contract says null rather than inventing a level.
func toLevel(l *catalog.ProductLevel) *levelDTO {
	if l == nil {
		return nil
	}
	out := &levelDTO{
		Overall: l.Overall, Label: toText(sovereignty.Level(l.Overall).LabelText()),
		Objectives:  make([]objectiveLevelDTO, len(l.Objectives)),
		Provisional: l.Provisional, Pessimistic: l.Pessimistic, RuleVersion: l.RuleVersion, Perspective: l.Perspective,
	}
	for i, v := range l.Objectives {
		id := sovereignty.Objectives[i]
		out.Objectives[i] = objectiveLevelDTO{ID: id, Name: toText(sovereignty.ObjectiveName(id))}
		if v >= 0 {
			out.Objectives[i].Level = &v
		}
	}
	return out
}
