package knowledge

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// AdultFrom is the age from which a person is outside Vejviser's audience: young people aged
// 16–29 and the people around them (the brief). The real question sets were labelled by the
// same line – a question about someone well over 30 is off-topic.
const AdultFrom = 30

// Ages returns the ages of people that text gives ("jeg er 23", "min søn på 32 år", "a
// 38-year-old woman", "57årige"), read with every language's age phrases (Language.Ages): a
// two-digit number with an age phrase before or after it.
func Ages(text string) []int {
	if !hasTwoDigits(text) {
		return nil // most questions: no number to read, nothing to split
	}
	words, percent := ageWords(text)
	var ages []int
	for i, w := range words {
		if len(w) != 2 || w[0] < '1' || w[0] > '9' || w[1] < '0' || w[1] > '9' {
			continue
		}
		n, _ := strconv.Atoi(w)
		if isAge(words, i, percent[i]) {
			ages = append(ages, n)
		}
	}
	return ages
}

// OnlyAdults reports whether text gives at least one age and every one is AdultFrom or more:
// the person asked about is outside the audience – not a parent of 45 writing about a son of
// 19.
func OnlyAdults(text string) bool {
	ages := Ages(text)
	for _, a := range ages {
		if a < AdultFrom {
			return false
		}
	}
	return len(ages) > 0
}

// isAge reports whether the number words[i] is an age by some language's phrases; percent
// says that a percent sign follows it.
func isAge(words []string, i int, percent bool) bool {
	next, after := "", ""
	if i+1 < len(words) {
		next = words[i+1]
	}
	if i+2 < len(words) {
		after = words[i+2]
	}
	for _, l := range Languages {
		p := l.Ages
		for _, ph := range p.After {
			if wordsAt(words, i+1, ph) {
				return true
			}
		}
		years := p.Year != "" && next == p.Year
		if years && slices.Contains(p.YearNot, after) || percent {
			continue
		}
		if next == "s" && i > 0 && slices.Contains(p.Decades, words[i-1]) {
			return true // "in my early 30s"
		}
		if slices.Contains(p.Units, next) {
			continue // "jeg er 20 minutter forsinket"
		}
		if i > 0 && slices.Contains(p.Persons, words[i-1]) ||
			i > 1 && slices.Contains(p.PersonLink, words[i-1]) && slices.Contains(p.Persons, words[i-2]) {
			return true
		}
		if anyBefore(words, i, p.Before) || years && anyBefore(words, i, p.YearBefore) {
			return true
		}
	}
	return false
}

// anyBefore reports whether one of phrases ends right before words[i].
func anyBefore(words []string, i int, phrases []string) bool {
	return slices.ContainsFunc(phrases, func(ph string) bool { return wordsBefore(words, i, ph) })
}

// hasTwoDigits reports whether text has two ASCII digits in a row.
func hasTwoDigits(text string) bool {
	for i := 1; i < len(text); i++ {
		if text[i]-'0' < 10 && text[i-1]-'0' < 10 {
			return true
		}
	}
	return false
}

// ageWords splits text into lower-case runs of letters and runs of digits ("57årige" is
// "57", "årige"; "I'm" is "i", "m"; "18.25" is one number) and reports for each whether a
// percent sign follows it.
func ageWords(text string) (words []string, percent []bool) {
	text = strings.ToLower(text)
	start, digits := -1, false
	flush := func(end int) {
		if start >= 0 {
			words = append(words, text[start:end])
			percent = append(percent, strings.HasPrefix(strings.TrimLeft(text[end:], " "), "%"))
			start = -1
		}
	}
	for i, r := range text {
		d, l := unicode.IsDigit(r), unicode.IsLetter(r)
		if start >= 0 && digits && (r == '.' || r == ',') && i+1 < len(text) && text[i+1]-'0' < 10 {
			continue // a decimal point or a thousands separator: "18.25" is one number
		}
		if start >= 0 && (d != digits || !d && !l) {
			flush(i)
		}
		if start < 0 && (d || l) {
			start, digits = i, d
		}
	}
	flush(len(text))
	return words, percent
}

// wordsAt reports whether the words from i on begin with phrase.
func wordsAt(words []string, i int, phrase string) bool {
	for _, w := range strings.Fields(phrase) {
		if i >= len(words) || words[i] != w {
			return false
		}
		i++
	}
	return true
}

// wordsBefore reports whether phrase ends right before words[i].
func wordsBefore(words []string, i int, phrase string) bool {
	ph := strings.Fields(phrase)
	return i >= len(ph) && wordsAt(words, i-len(ph), phrase)
}
