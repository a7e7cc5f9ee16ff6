package knowledge

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Amount is a figure that changes over time – a rate, a price, a deadline – kept as data in an
// entry ([[amount]]) so that the bot knows which year it belongs to. The entry's text names it
// with a placeholder, {beløb:id} (or {amount:id}), and the answer shows it with its year; once
// the year has ended the answer says "sidst kendte sats (2025)" and check warns.
type Amount struct {
	ID      string `toml:"id"`
	Label   string `toml:"label"`
	LabelEN string `toml:"label_en"`
	// Value is the figure as written in Danish ("9.700", "4,35", "15. marts kl. 12.00").
	Value  string `toml:"value"`
	Unit   string `toml:"unit"`
	UnitEN string `toml:"unit_en"`
	// Year is the calendar year the figure belongs to. Or ValidFrom (and perhaps ValidTo) for a
	// figure that changes on a date; or EveryYear for a date that is the same each year. With
	// none of them the year is unknown, which the answer says and check warns about.
	Year      int       `toml:"year"`
	ValidFrom time.Time `toml:"valid_from"`
	ValidTo   time.Time `toml:"valid_to"`
	EveryYear bool      `toml:"every_year"`
	// Source is the page the figure was read on; SourceDate is that page's own date (or
	// "udateret"); Page is where the current figure is published (Source when empty).
	Source     string `toml:"source"`
	SourceDate string `toml:"source_date"`
	Page       string `toml:"page"`
}

// amountRef matches a placeholder in an entry's text: {beløb:id} or {amount:id}.
var amountRef = regexp.MustCompile(`\{(?:beløb|amount):([^{}\s]*)\}`)

// amountID is the form of an amount's id.
var amountID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// checkAmounts validates the entry's amounts and the placeholders in its texts.
func (l *loader) checkAmounts(name string, e *Entry, idx keyIndex, top pos) {
	seen := map[string]bool{}
	for i, a := range e.Amounts {
		key := fmt.Sprintf("amount.%d", i)
		at := idx.at(key, top)
		switch {
		case !amountID.MatchString(a.ID):
			l.c.add(name, idx.at(key+".id", at), "amount %d: id %q must be lowercase letters, digits and single hyphens", i+1, a.ID)
		case seen[a.ID]:
			l.c.add(name, idx.at(key+".id", at), "amount id %q is used twice", a.ID)
		}
		seen[a.ID] = true
		if strings.TrimSpace(a.Value) == "" {
			l.c.add(name, idx.at(key+".value", at), "amount %q has no value", a.ID)
		}
		if strings.TrimSpace(a.Label) == "" {
			l.c.add(name, at, "amount %q has no label (what the figure is, e.g. \"Handicaptillæg til SU\")", a.ID)
		}
		if msg := checkURL(a.Source); !msg.empty() {
			l.c.add(name, idx.at(key+".source", at), "amount %q: source: %s", a.ID, msg)
		}
		if a.Page != "" {
			if msg := checkURL(a.Page); !msg.empty() {
				l.c.add(name, idx.at(key+".page", at), "amount %q: page: %s", a.ID, msg)
			}
		}
		if a.SourceDate == "" {
			l.c.add(name, at, "amount %q has no source_date: write the page's own date or %q", a.ID, Undated)
		} else if _, ok := ParseSourceDate(a.SourceDate); !ok && a.SourceDate != Undated {
			l.c.add(name, idx.at(key+".source_date", at), "amount %q: source_date %q: write \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or %q", a.ID, a.SourceDate, Undated)
		}
		kinds := 0
		for _, set := range []bool{a.Year != 0, !a.ValidFrom.IsZero() || !a.ValidTo.IsZero(), a.EveryYear} {
			if set {
				kinds++
			}
		}
		switch {
		case kinds > 1:
			l.c.add(name, at, "amount %q: give either year, valid_from/valid_to or every_year, not more than one", a.ID)
		case a.Year != 0 && (a.Year < 1990 || a.Year > 2100):
			l.c.add(name, idx.at(key+".year", at), "amount %q: year %d is not a plausible year", a.ID, a.Year)
		case !a.ValidFrom.IsZero() && !a.ValidTo.IsZero() && a.ValidTo.Before(a.ValidFrom):
			l.c.add(name, idx.at(key+".valid_to", at), "amount %q: valid_to is before valid_from", a.ID)
		case kinds == 0:
			l.c.warn(name, at, "amount %q has no year: the answer says the year is unknown; find the figure's year on %s", a.ID, a.CurrentPage())
		case a.Year != 0 && a.Year < l.now.Year():
			l.c.warn(name, idx.at(key+".year", at), "amount %q is the figure for %d, a year that has ended: the answer calls it the last known figure (%d); find the current figure on %s",
				a.ID, a.Year, a.Year, a.CurrentPage())
		case !a.ValidTo.IsZero() && l.now.After(a.ValidTo.AddDate(0, 0, 1)):
			l.c.warn(name, idx.at(key+".valid_to", at), "amount %q was valid to %s, which has passed: find the current figure on %s",
				a.ID, a.ValidTo.Format(time.DateOnly), a.CurrentPage())
		}
	}
	used := map[string]bool{}
	for _, text := range []string{e.Summary, e.Body, e.EN.Summary, e.EN.Body} {
		for _, m := range amountRef.FindAllStringSubmatch(text, -1) {
			used[m[1]] = true
			if !seen[m[1]] {
				l.c.add(name, top, "the text names amount %q, but the entry has no [[amount]] with that id", m[1])
			}
		}
	}
	for _, a := range e.Amounts {
		if a.ID != "" && !used[a.ID] {
			l.c.warn(name, top, "amount %q is not used in the text: write {beløb:%s} where the figure belongs", a.ID, a.ID)
		}
	}
}

// CurrentPage is where the current figure is published.
func (a Amount) CurrentPage() string {
	if a.Page != "" {
		return a.Page
	}
	return a.Source
}

// isDate tells whether the amount is a date or a time rather than a quantity with a unit.
func (a Amount) isDate() bool {
	u := strings.ToLower(a.Unit)
	return strings.HasPrefix(u, "dato") || strings.HasPrefix(u, "date")
}

var monthNamesDA = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

func longDate(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d. %s %d", t.Day(), monthNamesDA[t.Month()-1], t.Year())
}

// Render writes the amount for an answer at time now, in lang: the figure, its unit and what
// is known of its time – "9.700 kr. om måneden (sats for 2024)", after the year has ended
// "(sidst kendte sats, 2024 – se den aktuelle på su.dk)".
func (a Amount) Render(lang string, now time.Time) string { return a.render(lang, now, true) }

// render is Render; without pointer, the note leaves out where to find the current figure
// (FillAmounts says it once, at the last amount from the same page).
func (a Amount) render(lang string, now time.Time, pointer bool) string {
	unit := a.Unit
	if lang == "en" && a.UnitEN != "" {
		unit = a.UnitEN
	}
	s := a.Value
	if !a.isDate() && unit != "" {
		s += " " + unit
	}
	if note := a.note(lang, now, pointer); note != "" {
		s += " (" + note + ")"
	}
	return s
}

// note is what is known of the amount's time at now, e.g. "sats for 2024".
func (a Amount) note(lang string, now time.Time, pointer bool) string {
	host := a.host()
	t := amountTexts[lang]
	if t == nil {
		t = amountTexts["da"]
	}
	last := t.lastRate
	if a.isDate() {
		last = t.lastDate
	}
	where := ""
	if pointer {
		where = fmt.Sprintf(t.seeAt, host)
	}
	switch {
	case a.EveryYear:
		return ""
	case a.Year != 0 && a.Year < now.Year():
		return fmt.Sprintf(last, a.Year) + where
	case a.Year != 0:
		return fmt.Sprintf(t.forYear, a.Year)
	case !a.ValidTo.IsZero() && now.After(a.ValidTo.AddDate(0, 0, 1)):
		return fmt.Sprintf(t.validTo, longDate(a.ValidTo, lang)) + where
	case !a.ValidFrom.IsZero():
		return fmt.Sprintf(t.from, longDate(a.ValidFrom, lang))
	}
	if pointer {
		return fmt.Sprintf(t.unknown, host)
	}
	return t.unknownShort
}

// host is the site of the page with the current figure, e.g. "su.dk".
func (a Amount) host() string {
	page := a.CurrentPage()
	if u, err := url.Parse(page); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return page
}

type amountText struct {
	forYear, lastRate, lastDate, validTo, from, seeAt, unknown, unknownShort string
}

var amountTexts = map[string]*amountText{
	"da": {forYear: "sats for %d", lastRate: "sidst kendte sats, %d", lastDate: "sidst kendte dato, %d",
		validTo: "sidst kendte sats, gjaldt til %s", from: "gælder fra %s", seeAt: " – se den aktuelle på %s",
		unknown: "år ukendt – tjek %s", unknownShort: "år ukendt"},
	"en": {forYear: "%d rate", lastRate: "last known rate, %d", lastDate: "last known date, %d",
		validTo: "last known rate, valid to %s", from: "from %s", seeAt: " – see the current one at %s",
		unknown: "year unknown – check %s", unknownShort: "year unknown"},
}

// FillAmounts replaces the amount placeholders in text with the amounts rendered for lang at
// now. Where to find the current figure is said once, at the last amount from the same page
// with the same note. An unknown id is left as it is (check reports it).
func (e *Entry) FillAmounts(text, lang string, now time.Time) string {
	if len(e.Amounts) == 0 || !strings.Contains(text, "{") {
		return text
	}
	byID := map[string]Amount{}
	for _, a := range e.Amounts {
		byID[a.ID] = a
	}
	locs := amountRef.FindAllStringSubmatchIndex(text, -1)
	key := func(a Amount) string { return a.host() + "\x00" + a.note(lang, now, false) }
	lastOf := map[string]int{}
	for i, l := range locs {
		if a, ok := byID[text[l[2]:l[3]]]; ok {
			lastOf[key(a)] = i
		}
	}
	var b strings.Builder
	prev := 0
	for i, l := range locs {
		b.WriteString(text[prev:l[0]])
		if a, ok := byID[text[l[2]:l[3]]]; ok {
			b.WriteString(a.render(lang, now, lastOf[key(a)] == i))
		} else {
			b.WriteString(text[l[0]:l[1]])
		}
		prev = l[1]
	}
	b.WriteString(text[prev:])
	return b.String()
}

// LocalizedAt is Localized with the amounts rendered for time now: with their year, or as the
// last known figure once their year has ended.
func (e *Entry) LocalizedAt(lang string, now time.Time) (title, summary, body string) {
	title, summary = e.SummaryAt(lang, now)
	if e.raw == nil {
		_, _, body = e.Localized(lang)
		return title, summary, body
	}
	body = e.raw.Body
	if lang == "en" && e.raw.ENBody != "" {
		body = e.raw.ENBody
	}
	return title, summary, e.FillAmounts(body, lang, now)
}

// SummaryAt is LocalizedAt without the body, for the many places that show an entry by its
// title and summary: filling the amounts of a long body no one reads cost about a tenth of an
// answer (BenchmarkAnswer, 2026-12-02).
func (e *Entry) SummaryAt(lang string, now time.Time) (title, summary string) {
	title, summary, _ = e.Localized(lang)
	if e.raw == nil {
		return title, summary
	}
	summary = e.raw.Summary
	if lang == "en" && e.raw.ENSummary != "" {
		summary = e.raw.ENSummary
	}
	return title, e.FillAmounts(summary, lang, now)
}

// rawTexts are an entry's texts with their amount placeholders, kept for LocalizedAt while
// the entry's fields hold the bare figures.
type rawTexts struct{ Summary, Body, ENSummary, ENBody string }

// fillPlain keeps the entry's texts with placeholders aside and replaces the placeholders in
// its fields with the bare figures, for everything without a clock: the search index, the
// crisis detector's known words, Localized.
func fillPlain(e *Entry) {
	if len(e.Amounts) == 0 {
		return
	}
	e.raw = &rawTexts{e.Summary, e.Body, e.EN.Summary, e.EN.Body}
	e.Summary, e.Body = plainAmounts(e, e.Summary), plainAmounts(e, e.Body)
	e.EN.Summary, e.EN.Body = plainAmounts(e, e.EN.Summary), plainAmounts(e, e.EN.Body)
}

// plainAmounts replaces placeholders with the bare figures.
func plainAmounts(e *Entry, text string) string {
	return amountRef.ReplaceAllStringFunc(text, func(m string) string {
		id := amountRef.FindStringSubmatch(m)[1]
		for _, a := range e.Amounts {
			if a.ID == id {
				return a.Value + " " + a.Unit
			}
		}
		return ""
	})
}
