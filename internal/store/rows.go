package store

import (
	"time"

	"github.com/lib/pq"
)

// Row types mirror the tables of migrations/00001_catalog.sql. They are the
// store's own: domain types never carry gorm tags.

type sourceRow struct {
	ID          int64
	Key         string
	URL         string
	Title       string
	Kind        string
	Retrieved   time.Time
	ContentHash string
	UpdatedAt   time.Time
}

func (sourceRow) TableName() string { return "sources" }

type categoryRow struct {
	ID          int64
	Slug        string
	NameDE      string `gorm:"column:name_de"`
	NameEN      string `gorm:"column:name_en"`
	ContentHash string
}

func (categoryRow) TableName() string { return "categories" }

type organizationRow struct {
	ID                  int64
	Slug                string
	Name                string
	Website             *string
	LegalName           *string
	RegistrationCountry string
	HQCountry           string         `gorm:"column:hq_country"`
	PresenceCountries   pq.StringArray `gorm:"type:text[]"`
	ContentHash         string
	Version             int
	UpdatedAt           time.Time
}

func (organizationRow) TableName() string { return "organizations" }

type ownershipRow struct {
	ID             int64
	OrganizationID int64
	HolderID       int64
	CapitalPct     *float64
	VotingPct      *float64
	Control        string
	Veto           string
	BoardMajority  string
}

func (ownershipRow) TableName() string { return "ownerships" }

type productRow struct {
	ID               int64
	Slug             string
	Name             string
	VendorID         int64
	CategoryID       int64
	Kind             string
	Website          *string
	DescriptionDE    string `gorm:"column:description_de"`
	DescriptionEN    string `gorm:"column:description_en"`
	VendorHosted     string
	SelfHostable     string
	License          *string
	Governance       string
	PhoneHome        string
	SourceRepository *string
	HostingCountries pq.StringArray `gorm:"type:text[]"`
	OpenSource       string
	VendorCountry    string
	ContentHash      string
	Version          int
	UpdatedAt        time.Time
}

func (productRow) TableName() string { return "products" }

type offeringRow struct {
	ID                    int64
	ProductID             int64
	Position              int
	OperatorID            int64
	DataLocationsKnown    bool
	SupportLocationsKnown bool
	KeyManagement         string
	GoverningLaw          string
	SubprocessorList      *string
}

func (offeringRow) TableName() string { return "offerings" }

type offeringLocationRow struct {
	OfferingID int64
	Kind       string
	Country    string
	Purpose    *string
	Position   int
}

func (offeringLocationRow) TableName() string { return "offering_locations" }

type certificationRow struct {
	ID         int64
	OfferingID int64
	Scheme     string
}

func (certificationRow) TableName() string { return "certifications" }

type dependencyRow struct {
	ID            int64
	ConsumerID    int64
	ProviderID    int64
	Role          string
	DataAccess    string
	Criticality   string
	FailoverGroup *string
}

func (dependencyRow) TableName() string { return "dependencies" }

type alternativeRow struct {
	ProductID  int64
	ReplacesID int64
}

func (alternativeRow) TableName() string { return "alternatives" }

type adoptionRow struct {
	ID            int64
	ProductID     int64
	Position      int
	Body          string
	Country       string
	Year          *int
	ReplacesID    *int64
	DescriptionDE string `gorm:"column:description_de"`
	DescriptionEN string `gorm:"column:description_en"`
}

func (adoptionRow) TableName() string { return "adoptions" }

type evidenceRow struct {
	ID              int64
	SourceID        int64
	Fact            string
	OrganizationID  *int64
	OwnershipID     *int64
	ProductID       *int64
	OfferingID      *int64
	CertificationID *int64
	DependencyID    *int64
	AdoptionID      *int64
	ProductRoot     *int64
	OrgRoot         *int64
}

func (evidenceRow) TableName() string { return "evidence" }

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
