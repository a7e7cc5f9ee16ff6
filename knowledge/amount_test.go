package knowledge

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// withAmounts returns the valid fixture base with fgu.md given amounts and placeholders.
func withAmounts(t *testing.T, amounts, summaryAdd string) fstest.MapFS {
	t.Helper()
	fsys := dirFS(t, "testdata/valid")
	src := string(fsys["entries/fgu.md"].Data)
	src = strings.Replace(src, "\n[en]\n", "\n"+amounts+"\n[en]\n", 1)
	src = strings.Replace(src, `Din kommunes ungdomsvejledning vurderer, om FGU er det rigtige for dig."`,
		`Din kommunes ungdomsvejledning vurderer, om FGU er det rigtige for dig. `+summaryAdd+`"`, 1)
	fsys["entries/fgu.md"] = &fstest.MapFile{Data: []byte(src)}
	return fsys
}

const skoleydelse = `
[[amount]]
id = "ydelse-hjemme"
label = "Skoleydelse, under 18, bor hjemme"
value = "430"
unit = "kr. om ugen"
unit_en = "DKK a week"
year = 2025
source = "https://example.dk/satser"
source_date = "2025-01-15"
`

func TestAmountRender(t *testing.T) {
	y2025 := Amount{Value: "430", Unit: "kr. om ugen", UnitEN: "DKK a week", Year: 2025, Source: "https://www.su.dk/satser"}
	from := Amount{Value: "4,35", Unit: "% om året", ValidFrom: time.Date(2024, 6, 7, 0, 0, 0, 0, time.UTC), Source: "https://su.dk/r"}
	until := from
	until.ValidTo = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	deadline := Amount{Value: "15. marts kl. 12.00", Unit: "dato og klokkeslæt", EveryYear: true, Source: "https://ug.dk/x"}
	pastDeadline := Amount{Value: "1. marts", Unit: "dato", Year: 2023, Source: "https://ug.dk/x"}
	unknown := Amount{Value: "550", Unit: "kr.", Source: "https://www.kvuc.dk/priser"}
	in2025 := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	in2026 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a    Amount
		lang string
		now  time.Time
		want string
	}{
		{"its own year", y2025, "da", in2025, "430 kr. om ugen (sats for 2025)"},
		{"its own year, English", y2025, "en", in2025, "430 DKK a week (2025 rate)"},
		{"the year has ended", y2025, "da", in2026, "430 kr. om ugen (sidst kendte sats, 2025 – se den aktuelle på su.dk)"},
		{"the year has ended, English", y2025, "en", in2026, "430 DKK a week (last known rate, 2025 – see the current one at su.dk)"},
		{"valid from", from, "da", in2026, "4,35 % om året (gælder fra 7. juni 2024)"},
		{"valid to, passed", until, "da", in2026, "4,35 % om året (sidst kendte sats, gjaldt til 30. juni 2025 – se den aktuelle på su.dk)"},
		{"every year", deadline, "da", in2026, "15. marts kl. 12.00"},
		{"a dated deadline that has passed", pastDeadline, "da", in2026, "1. marts (sidst kendte dato, 2023 – se den aktuelle på ug.dk)"},
		{"year unknown", unknown, "da", in2026, "550 kr. (år ukendt – tjek kvuc.dk)"},
	}
	for _, tt := range tests {
		if got := tt.a.Render(tt.lang, tt.now); got != tt.want {
			t.Errorf("%s: Render = %q\nwant            %q", tt.name, got, tt.want)
		}
	}
}

func TestAmountsInEntry(t *testing.T) {
	fsys := withAmounts(t, skoleydelse, "Under 18 og hjemmeboende får du {beløb:ydelse-hjemme}.")
	base, err := Load(fsys, testNow)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := base.Entry("fgu")
	_, sum, _ := e.LocalizedAt("da", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	if !strings.Contains(sum, "får du 430 kr. om ugen (sats for 2025).") {
		t.Errorf("summary in 2025: %q", sum)
	}
	_, sum, _ = e.LocalizedAt("da", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if !strings.Contains(sum, "430 kr. om ugen (sidst kendte sats, 2025") {
		t.Errorf("summary in 2026: %q", sum)
	}
	// SummaryAt gives what LocalizedAt gives, without the body.
	for _, lang := range []string{"da", "en"} {
		for _, now := range []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)} {
			wantTitle, wantSum, _ := e.LocalizedAt(lang, now)
			if gotTitle, gotSum := e.SummaryAt(lang, now); gotTitle != wantTitle || gotSum != wantSum {
				t.Errorf("SummaryAt(%s, %s) = %q, %q; LocalizedAt gives %q, %q", lang, now.Format("2006"), gotTitle, gotSum, wantTitle, wantSum)
			}
		}
	}
	// Without a clock (the search index), the bare figure and no placeholder.
	if strings.Contains(e.Summary, "{") || !strings.Contains(e.Summary, "430 kr. om ugen") {
		t.Errorf("plain summary: %q", e.Summary)
	}
	// check warns in 2026 that 2025 has ended.
	found := false
	for _, w := range base.Warnings {
		if strings.Contains(w.String(), `amount "ydelse-hjemme" is the figure for 2025, a year that has ended`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for an amount whose year has ended: %v", base.Warnings)
	}
}

func TestAmountFaults(t *testing.T) {
	tests := []struct {
		name, amounts, text, want string
		warning                   bool
	}{
		{"unknown placeholder", skoleydelse, "{beløb:ydelse-ude} og {beløb:ydelse-hjemme}", `names amount "ydelse-ude", but the entry has no [[amount]]`, false},
		{"unused amount", skoleydelse, "", `amount "ydelse-hjemme" is not used in the text`, true},
		{"no value", strings.Replace(skoleydelse, `value = "430"`, `value = ""`, 1), "{beløb:ydelse-hjemme}", `amount "ydelse-hjemme" has no value`, false},
		{"two kinds of time", strings.Replace(skoleydelse, "year = 2025", "year = 2025\nevery_year = true", 1), "{beløb:ydelse-hjemme}", "not more than one", false},
		{"no year", strings.Replace(skoleydelse, "year = 2025\n", "", 1), "{beløb:ydelse-hjemme}", `amount "ydelse-hjemme" has no year`, true},
		{"bad source date", strings.Replace(skoleydelse, `"2025-01-15"`, `"15-01-2025"`, 1), "{beløb:ydelse-hjemme}", `source_date "15-01-2025"`, false},
		{"bad source", strings.Replace(skoleydelse, "https://example.dk/satser", "example.dk", 1), "{beløb:ydelse-hjemme}", `amount "ydelse-hjemme": source: bad url`, false},
		{"bad id", strings.Replace(skoleydelse, `id = "ydelse-hjemme"`, `id = "Ydelse Hjemme"`, 1), "", `id "Ydelse Hjemme" must be lowercase`, false},
	}
	for _, tt := range tests {
		base, err := Load(withAmounts(t, tt.amounts, tt.text), testNow)
		var all []string
		if err != nil {
			for _, p := range err.(Problems) {
				all = append(all, p.String())
			}
		} else {
			for _, p := range base.Warnings {
				all = append(all, p.String())
			}
		}
		joined := strings.Join(all, "\n")
		if !strings.Contains(joined, tt.want) {
			t.Errorf("%s: problems lack %q:\n%s", tt.name, tt.want, joined)
		}
		if tt.warning && err != nil {
			t.Errorf("%s: want a warning, got errors:\n%s", tt.name, joined)
		}
		if !tt.warning && err == nil {
			t.Errorf("%s: want an error, got none", tt.name)
		}
	}
}

func TestFillAmountsSaysWhereOnce(t *testing.T) {
	e := &Entry{Amounts: []Amount{
		{ID: "a", Value: "9.700", Unit: "kr.", Year: 2024, Source: "https://www.su.dk/x"},
		{ID: "b", Value: "6.084", Unit: "kr.", Year: 2024, Source: "https://www.su.dk/y"},
		{ID: "c", Value: "550", Unit: "kr.", Source: "https://kvuc.dk/p"},
	}}
	got := e.FillAmounts("{beløb:a} og {beløb:b}; {beløb:c}.", "da", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	want := "9.700 kr. (sidst kendte sats, 2024) og 6.084 kr. (sidst kendte sats, 2024 – se den aktuelle på su.dk); 550 kr. (år ukendt – tjek kvuc.dk)."
	if got != want {
		t.Errorf("FillAmounts =\n%q\nwant\n%q", got, want)
	}
}

func TestParseSourceDate(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"2023-05-01", "2023-05-01", true},
		{" 2023-05-01\t", "2023-05-01", true},
		{"2023-05", "2023-05-01", true},
		{"2023", "2023-01-01", true},
		{"udateret", "", false},
		{"", "", false},
		{"2023-5-1", "", false},
		{"2023-13", "", false},
		{"2023-02-30", "", false},
		{"2023-05-01x", "", false},
		{"20230501", "", false},
		{"23", "", false},
		{"maj 2023", "", false},
	}
	for _, tt := range tests {
		d, ok := ParseSourceDate(tt.in)
		got := ""
		if ok {
			got = d.Format(time.DateOnly)
		}
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseSourceDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
