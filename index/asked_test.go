package index

import "testing"

// TestAskedPostingsMatch: with the example questions' postings, the similarity of a question to
// each entry's nearest example question is exactly what comparing them one by one gives, on
// every tenth labelled question of the starter base against every entry and outside topic.
func TestAskedPostingsMatch(t *testing.T) {
	ix := embeddedIndex(t)
	if ix.askedPost == nil {
		t.Fatal("the starter base has no example-question postings")
	}
	base := loadBase(t)
	n, positive := 0, 0
	for i, q := range base.Asked {
		if i%10 != 0 {
			continue
		}
		groups := ix.analyze(q.Text)
		total := 0.0
		for _, g := range groups {
			total += g.idf
		}
		fast := ix.askedQueryOf(groups)
		slow := fast
		slow.shared = nil
		for id := range ix.asked {
			got, want := ix.askedSimilarity(fast, total, id), ix.askedSimilarity(slow, total, id)
			if got != want {
				t.Fatalf("askedSimilarity(%q, %s) = %v with the postings; %v compared one by one", q.Text, id, got, want)
			}
			n++
			if want > 0 {
				positive++
			}
		}
	}
	if positive < n/10 {
		t.Fatalf("only %d of %d similarities above 0: the comparison tests too little", positive, n)
	}
	t.Logf("%d similarities compared, %d above 0", n, positive)
}
