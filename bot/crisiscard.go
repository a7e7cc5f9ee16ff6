package bot

import (
	"slices"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// MaxCrisisLines is the most lines a crisis card lists: enough for the kinds of one message
// (overdose and a friend: 112, Giftlinjen, Lægevagten, Livslinien, BørneTelefonen), few enough
// to read on a phone.
const MaxCrisisLines = 6

// generalKind is the kind whose lines the card lists when no kind is known (a counsellor's
// /krise card, a message flagged by an older detector).
const generalKind = "direct"

// crisisCard builds the card for kinds (most urgent first) in lang: the first kind's intro,
// the others' as advice, and their lines in order without repeats.
func crisisCard(c knowledge.Crisis, lang string, kinds []string) *CrisisCard {
	en := lang == English
	card := &CrisisCard{Title: c.Card.Title, Intro: c.Card.Intro, Outro: c.Card.Outro, Kinds: kinds}
	if en {
		card.Title, card.Intro, card.Outro = c.Card.TitleEN, c.Card.IntroEN, c.Card.OutroEN
	}
	var lineIDs []string
	for i, k := range kinds {
		ck, ok := crisisKind(c, k)
		if !ok {
			continue
		}
		intro := ck.Intro
		if en {
			intro = ck.IntroEN
		}
		if i == 0 {
			card.Intro = intro
		} else if len(card.Advice) < 2 {
			card.Advice = append(card.Advice, intro)
		}
		for _, id := range ck.Lines {
			if !slices.Contains(lineIDs, id) {
				lineIDs = append(lineIDs, id)
			}
		}
	}
	if len(lineIDs) == 0 {
		if ck, ok := crisisKind(c, generalKind); ok {
			lineIDs = ck.Lines
		}
	}
	if len(lineIDs) == 0 { // a knowledge base without kind cards: every line
		for _, l := range c.Lines {
			lineIDs = append(lineIDs, l.ID)
		}
	}
	for _, id := range lineIDs {
		if len(card.Lines) == MaxCrisisLines {
			break
		}
		i := slices.IndexFunc(c.Lines, func(l knowledge.CrisisLine) bool { return l.ID == id })
		if i < 0 {
			continue
		}
		l := c.Lines[i]
		when := l.When
		if en {
			when = l.WhenEN
		}
		card.Lines = append(card.Lines, CrisisRef{Name: l.Name, Phone: l.Phone, URL: l.URL, When: when,
			Evidence: evidenceYear(l), Verified: day(l.Verified)})
	}
	return card
}

func crisisKind(c knowledge.Crisis, id string) (knowledge.CrisisKind, bool) {
	i := slices.IndexFunc(c.Kinds, func(k knowledge.CrisisKind) bool { return k.ID == id })
	if i < 0 {
		return knowledge.CrisisKind{}, false
	}
	return c.Kinds[i], true
}

// evidenceYear is the year of a line's newest dated source, or "udateret".
func evidenceYear(l knowledge.CrisisLine) string {
	if t, ok := l.EvidenceDate(); ok {
		return t.Format("2006")
	}
	return knowledge.Undated
}

// supportLine is the calm line for a message of the support tier, naming the kommune's youth
// guidance when the kommune is known.
func supportLine(s knowledge.CrisisSupport, lang, kommune string) string {
	text, withKommune := s.Text, s.TextKommune
	if lang == English {
		text, withKommune = s.TextEN, s.TextKommuneEN
	}
	if kommune != "" && withKommune != "" {
		return strings.ReplaceAll(withKommune, "{kommune}", kommune)
	}
	return text
}
