package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vejviser/vejviser/bot/insight"
)

// reportTexts are the editors' report's headings in one language.
type reportTexts struct {
	title, asked, noAsked, counts, noCounts, unknownKommune, outside, feedback, noFeedback, helped, notHelped,
	due, noDue, storeOff, storeBroken, deleteHint, more string
}

var reportLang = map[string]reportTexts{
	"da": {
		title:          "Redaktørrapport for videnbasen %s (%s)",
		asked:          "Spørgsmål sendt til redaktionen med samtykke, sidste 30 dage: %d i %d grupper",
		noAsked:        "Ingen spørgsmål sendt til redaktionen de sidste 30 dage.",
		counts:         "Spørgsmål uden sikkert svar, sidste 30 dage (kun tal – teksten gemmes ikke): %d",
		noCounts:       "Ingen spørgsmål uden sikkert svar de sidste 30 dage.",
		unknownKommune: "ukendt kommune",
		outside:        "Heraf om emner uden for basen (outside.toml – mangler der en post?): %s",
		feedback:       "Feedback pr. post (knapperne under svarene)",
		noFeedback:     "Ingen feedback endnu.",
		helped:         "hjalp",
		notHelped:      "hjalp ikke",
		due:            "Forfaldne og gamle oplysninger: %d",
		noDue:          "Ingen poster, tjenester eller krisenumre er forfaldne.",
		storeOff:       "Redaktørlageret er slået fra (insight = false i config.toml): der gemmes hverken spørgsmål, tal eller feedback.",
		storeBroken:    "Redaktørlageret kunne ikke læses: %v. Botten svarer stadig; kun denne del af rapporten mangler.",
		deleteHint:     "Slet et spørgsmål: vejviser report --delete ID · slet alle: vejviser report --purge",
		more:           "… og %d mere",
	},
	"en": {
		title:          "Editors' report for knowledge base %s (%s)",
		asked:          "Questions sent to the editors with consent, last 30 days: %d in %d groups",
		noAsked:        "No questions sent to the editors in the last 30 days.",
		counts:         "Questions without a sure answer, last 30 days (counts only – no text is kept): %d",
		noCounts:       "No questions without a sure answer in the last 30 days.",
		unknownKommune: "unknown kommune",
		outside:        "Of these, about subjects outside the base (outside.toml – is an entry missing?): %s",
		feedback:       "Feedback per entry (the buttons under answers)",
		noFeedback:     "No feedback yet.",
		helped:         "helped",
		notHelped:      "did not help",
		due:            "Due and old facts: %d",
		noDue:          "No entry, service or crisis line is due.",
		storeOff:       "The editors' store is switched off (insight = false in config.toml): no questions, counts or feedback are kept.",
		storeBroken:    "The editors' store could not be read: %v. The bot still answers; only this part of the report is missing.",
		deleteHint:     "Delete a question: vejviser report --delete ID · delete all: vejviser report --purge",
		more:           "… and %d more",
	},
}

// ReportOptions shape a rendered editors' report.
type ReportOptions struct {
	// Lang is "da" (default) or "en".
	Lang string
	// Now is the report's date.
	Now time.Time
	// MaxGroups and MaxDue cap the lists (0: all); the rest is counted, for a chat message.
	MaxGroups, MaxDue int
}

// RenderReport writes the editors' report as plain text: consented questions grouped by
// wording (with their ids, for deleting), daily counts of unanswered questions by language and
// kommune, feedback per entry (the least helpful first) and what is past its review date.
func RenderReport(r EditorReport, o ReportOptions) string {
	t, ok := reportLang[o.Lang]
	if !ok {
		t, o.Lang = reportLang["da"], "da"
	}
	var b strings.Builder
	fmt.Fprintf(&b, t.title+"\n\n", r.Version, o.Now.Format(time.DateOnly))
	switch {
	case r.StoreErr == ErrNoInsight:
		b.WriteString(t.storeOff + "\n\n")
	case r.StoreErr != nil:
		fmt.Fprintf(&b, t.storeBroken+"\n\n", r.StoreErr)
	default:
		writeAsked(&b, t, r.Store.Groups, o.MaxGroups)
		writeCounts(&b, t, r.Store.Days, o.Now)
		writeFeedback(&b, t, r.Store.Feedback)
	}
	if len(r.Due) == 0 {
		b.WriteString(t.noDue + "\n")
		return b.String()
	}
	fmt.Fprintf(&b, t.due+"\n", len(r.Due))
	for i, p := range r.Due {
		if o.MaxDue > 0 && i == o.MaxDue {
			fmt.Fprintf(&b, "  "+t.more+"\n", len(r.Due)-i)
			break
		}
		fmt.Fprintf(&b, "  - %s\n", localized(p, o.Lang))
	}
	return b.String()
}

func writeAsked(b *strings.Builder, t reportTexts, groups []insight.Group, max int) {
	n := 0
	for _, g := range groups {
		n += len(g.Questions)
	}
	if n == 0 {
		b.WriteString(t.noAsked + "\n\n")
		return
	}
	fmt.Fprintf(b, t.asked+"\n", n, len(groups))
	for i, g := range groups {
		if max > 0 && i == max {
			fmt.Fprintf(b, "  "+t.more+"\n", len(groups)-i)
			break
		}
		fmt.Fprintf(b, "  %d. (%d)\n", i+1, len(g.Questions))
		for _, q := range g.Questions {
			where := q.Lang
			if q.Kommune != "" {
				where += ", " + q.Kommune
			}
			fmt.Fprintf(b, "     %q – %s, %s, %s, id %s\n", q.Text, where, q.Confidence, q.Stored.Format(time.DateOnly), q.ID)
		}
	}
	b.WriteString("  " + t.deleteHint + "\n\n")
}

func writeCounts(b *strings.Builder, t reportTexts, days []insight.DayCount, now time.Time) {
	from := now.AddDate(0, 0, -30).Format(time.DateOnly)
	perDay := map[string]map[string]int{}
	perKommune, perOutside := map[string]int{}, map[string]int{}
	total := 0
	for _, d := range days {
		if d.Day < from {
			continue
		}
		if perDay[d.Day] == nil {
			perDay[d.Day] = map[string]int{}
		}
		perDay[d.Day][d.Lang] += d.N
		perDay[d.Day][""] += d.N
		k := d.Kommune
		if k == "" {
			k = t.unknownKommune
		}
		perKommune[k] += d.N
		if d.Outside != "" {
			perOutside[d.Outside] += d.N
		}
		total += d.N
	}
	if total == 0 {
		b.WriteString(t.noCounts + "\n\n")
		return
	}
	fmt.Fprintf(b, t.counts+"\n", total)
	var dayList []string
	for d := range perDay {
		dayList = append(dayList, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dayList)))
	for _, d := range dayList {
		c := perDay[d]
		fmt.Fprintf(b, "  %s: %d (da %d, en %d)\n", d, c[""], c["da"], c["en"])
	}
	b.WriteString("  " + byCount(perKommune) + "\n")
	if len(perOutside) > 0 {
		fmt.Fprintf(b, "  "+t.outside+"\n", byCount(perOutside))
	}
	b.WriteString("\n")
}

// byCount lists counts as "name n · name n", the largest first.
func byCount(counts map[string]int) string {
	type kc struct {
		k string
		n int
	}
	var ks []kc
	for k, n := range counts {
		ks = append(ks, kc{k, n})
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].n > ks[j].n || ks[i].n == ks[j].n && ks[i].k < ks[j].k })
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = fmt.Sprintf("%s %d", k.k, k.n)
	}
	return strings.Join(parts, " · ")
}

func writeFeedback(b *strings.Builder, t reportTexts, fb []insight.EntryFeedback) {
	if len(fb) == 0 {
		b.WriteString(t.noFeedback + "\n\n")
		return
	}
	b.WriteString(t.feedback + "\n")
	for _, f := range fb {
		fmt.Fprintf(b, "  %s: %s %d, %s %d\n", f.Entry, t.helped, f.Helped, t.notHelped, f.NotIt)
	}
	b.WriteString("\n")
}

// RenderWeekly writes the weekly summary for the editors' channel: numbers only – how many
// questions were sent with consent (never their text: the channel may have more readers than
// the editors), how many went without a sure answer in the last 7 days, the entries with the
// most "did not help" and how much is past its review date – and where to read more.
func RenderWeekly(r EditorReport, lang string, now time.Time) string {
	var b strings.Builder
	from := now.AddDate(0, 0, -7).Format(time.DateOnly)
	asked, week := 0, map[string]int{}
	for _, g := range r.Store.Groups {
		asked += len(g.Questions)
	}
	for _, d := range r.Store.Days {
		if d.Day >= from {
			week[d.Lang] += d.N
			week[""] += d.N
		}
	}
	var worst []string
	for _, f := range r.Store.Feedback {
		if f.NotIt > 0 && len(worst) < 5 {
			worst = append(worst, fmt.Sprintf("%s (%d)", f.Entry, f.NotIt))
		}
	}
	t := weeklyTexts[Danish]
	if lang == English {
		t = weeklyTexts[English]
	}
	fmt.Fprintf(&b, t[0]+"\n", now.Format(time.DateOnly))
	fmt.Fprintf(&b, t[1]+"\n", week[""], week["da"], week["en"])
	fmt.Fprintf(&b, t[2]+"\n", asked, len(r.Store.Groups))
	if len(worst) > 0 {
		fmt.Fprintf(&b, t[3]+"\n", strings.Join(worst, ", "))
	}
	fmt.Fprintf(&b, t[4]+"\n", len(r.Due))
	b.WriteString(t[5])
	return b.String()
}

// localized renders a knowledge problem in lang when it can say itself in more than one
// language, else in its own words.
func localized(p fmt.Stringer, lang string) string {
	if l, ok := p.(interface{ Localized(string) string }); ok {
		return l.Localized(lang)
	}
	return p.String()
}

// weeklyTexts are the weekly summary's lines: title, unanswered, consented, least helpful, due,
// where to read more.
var weeklyTexts = map[string][6]string{
	Danish: {"**Vejviser, ugen til %s**", "- Uden sikkert svar de sidste 7 dage: %d (dansk %d, engelsk %d)",
		"- Sendt til redaktionen med samtykke, sidste 30 dage: %d i %d grupper", "- Flest \"hjalp ikke\": %s",
		"- Forfaldne eller gamle oplysninger: %d", "Selve spørgsmålene: /rapport (kun redaktører, privat) eller `vejviser report`."},
	English: {"**Vejviser, the week to %s**", "- Without a sure answer in 7 days: %d (Danish %d, English %d)",
		"- Sent to the editors with consent, last 30 days: %d in %d groups", "- Most \"did not help\": %s",
		"- Due or old facts: %d", "The questions themselves: /report (editors only, private) or `vejviser report`."},
}
