package sovereignty

// Criterion identifies a registry criterion; each maps to one criterion of
// the EU Cloud Sovereignty Framework (CSF) and reuses its answer→level
// ladder (methodology reference §1.5, §8.3).
type Criterion string

// The criteria evaluated by RuleVersion. S5.c (software origin) is used only
// in the self-hosted profile, where methodology P6 needs it.
const (
	S1a Criterion = "S1.a" // decision authority (control chain, SecNumCloud 24/39 %)
	S1b Criterion = "S1.b" // cut-off resilience
	S1c Criterion = "S1.c" // roadmap control
	S2a Criterion = "S2.a" // governing law
	S2b Criterion = "S2.b" // extraterritorial exposure
	S3a Criterion = "S3.a" // key control
	S3b Criterion = "S3.b" // data location
	S4b Criterion = "S4.b" // support location
	S5a Criterion = "S5.a" // single point of dependency
	S5b Criterion = "S5.b" // supply-chain transparency
	S5c Criterion = "S5.c" // software origin (self-hosted profile)
	S6a Criterion = "S6.a" // open source
)

type critIdx uint8

const (
	cS1a critIdx = iota
	cS1b
	cS1c
	cS2a
	cS2b
	cS3a
	cS3b
	cS4b
	cS5a
	cS5b
	cS6a
	nCrit
)

// CriterionInfo describes a criterion for documentation and display.
type CriterionInfo struct {
	ID        Criterion
	Objective string // SOV-1 … SOV-6
	CSFRef    string // the CSF criterion whose ladder it reuses
	Name      string
	// NameText is Name in German and English.
	NameText Text
	// Worst is the lowest rung of the ladder; an unknown fact counts at this
	// rung in the pessimistic level.
	Worst Level
	// Inherited says along which edges the criterion passes to consumers:
	// "readable" (legal and data axes, methodology P1), "critical"
	// (availability, P3) or "" (not inherited).
	Inherited string
}

var criteria = [nCrit]CriterionInfo{
	cS1a: {ID: S1a, Objective: "SOV-1", CSFRef: "SOV-1 Q1", Name: "Decision authority", NameText: tx("Entscheidungsgewalt", "Decision authority"), Worst: RSL1},
	cS1b: {ID: S1b, Objective: "SOV-1", CSFRef: "SOV-1 Q8", Name: "Cut-off resilience", NameText: tx("Abschaltfestigkeit", "Cut-off resilience"), Worst: RSL0, Inherited: "critical"},
	cS1c: {ID: S1c, Objective: "SOV-1", CSFRef: "SOV-1 Q3", Name: "Roadmap control", NameText: tx("Kontrolle der Roadmap", "Roadmap control"), Worst: RSL2},
	cS2a: {ID: S2a, Objective: "SOV-2", CSFRef: "SOV-2 Q1", Name: "Governing law", NameText: tx("Anwendbares Recht", "Governing law"), Worst: RSL1},
	cS2b: {ID: S2b, Objective: "SOV-2", CSFRef: "SOV-2 Q2+Q3", Name: "Extraterritorial exposure", NameText: tx("Extraterritoriales Recht", "Extraterritorial exposure"), Worst: RSL1, Inherited: "readable"},
	cS3a: {ID: S3a, Objective: "SOV-3", CSFRef: "SOV-3 Q1", Name: "Key control", NameText: tx("Schlüsselverwaltung", "Key control"), Worst: RSL0},
	cS3b: {ID: S3b, Objective: "SOV-3", CSFRef: "SOV-3 Q4", Name: "Data location", NameText: tx("Datenstandort", "Data location"), Worst: RSL0, Inherited: "readable"},
	cS4b: {ID: S4b, Objective: "SOV-4", CSFRef: "SOV-4 Q4", Name: "Support location", NameText: tx("Supportstandort", "Support location"), Worst: RSL1},
	cS5a: {ID: S5a, Objective: "SOV-5", CSFRef: "SOV-5 Q6", Name: "Single point of dependency", NameText: tx("Einzelabhängigkeit", "Single point of dependency"), Worst: RSL1, Inherited: "critical"},
	cS5b: {ID: S5b, Objective: "SOV-5", CSFRef: "SOV-5 Q7", Name: "Supply-chain transparency", NameText: tx("Transparenz der Lieferkette", "Supply-chain transparency"), Worst: RSL1},
	cS6a: {ID: S6a, Objective: "SOV-6", CSFRef: "SOV-6 Q3", Name: "Open source", NameText: tx("Open Source", "Open source"), Worst: RSL2},
}

// criterionS5c is the software-origin criterion of the self-hosted profile.
var criterionS5c = CriterionInfo{ID: S5c, Objective: "SOV-5", CSFRef: "SOV-5 Q4", Name: "Software origin (self-hosted profile)",
	NameText: tx("Herkunft der Software (Selbstbetriebs-Profil)", "Software origin (self-hosted profile)"), Worst: RSL0}

// Criteria lists the criteria of RuleVersion in display order.
func Criteria() []CriterionInfo {
	out := make([]CriterionInfo, 0, nCrit+1)
	out = append(out, criteria[:]...)
	return append(out, criterionS5c)
}

// Objectives are the gating objectives: SOV-1 … SOV-6, as in BSI C3A. SOV-7
// (security) and SOV-8 (environment) are not gating and not computed by
// this rule version.
var Objectives = []string{"SOV-1", "SOV-2", "SOV-3", "SOV-4", "SOV-5", "SOV-6"}

func objIndex(o string) int {
	return int(o[4] - '1')
}
