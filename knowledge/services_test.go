package knowledge

import (
	"slices"
	"testing"
)

// TestServicesFor checks which services a municipality gets for a list of kinds: its own,
// the region's where it has none, and the region's after its own where all of its own are
// unconfirmed.
func TestServicesFor(t *testing.T) {
	svc := func(kommune, kind, name, status string) Service {
		return Service{Kommune: kommune, Kind: kind, Name: name, Status: status}
	}
	base := &Base{Services: []Service{
		svc(RegionWide, "fgu", "FGU region", StatusSeen),
		svc(RegionWide, "gaeld", "Debt region", StatusSeen),
		svc(RegionWide, "headspace", "headspace chat", StatusSeen),
		svc("Aby", "fgu", "FGU Aby", StatusSeen),
		svc("Aby", "gaeld", "Debt Aby", StatusUnconfirmed),
		svc("Bby", "gaeld", "Debt Bby one", StatusUnconfirmed),
		svc("Bby", "gaeld", "Debt Bby two", StatusKommuneSite),
	}}
	tests := []struct {
		kommune string
		kinds   []string
		want    []string
	}{
		{"Aby", []string{"fgu", "headspace"}, []string{"FGU Aby", "headspace chat"}},
		{"Aby", []string{"gaeld", "fgu"}, []string{"Debt Aby", "FGU Aby", "Debt region"}},
		{"Aby", []string{"gaeld", "headspace"}, []string{"Debt Aby", "headspace chat", "Debt region"}},
		{"Bby", []string{"gaeld"}, []string{"Debt Bby one", "Debt Bby two"}},
		{"", []string{"gaeld", "fgu"}, []string{"Debt region", "FGU region"}},
		{RegionWide, []string{"gaeld"}, []string{"Debt region"}},
		{"Cby", []string{"fgu", "psykiatri"}, []string{"FGU region"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range base.ServicesFor(tt.kommune, tt.kinds) {
			got = append(got, s.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ServicesFor(%q, %v) = %v; want %v", tt.kommune, tt.kinds, got, tt.want)
		}
	}
}
