package bot_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

var benchQuestions = []string{
	"hvad er fgu", "Hvor meget får man i skoleydelse på FGU?", "kan jeg få handicaptillæg til min su",
	"handicap tillæg", "enkelfag på hf", "headspce", "erhversmentor", "har angst og vil gerne i job",
	"jeg bor i Grenaa, hvem er min ungevejleder", "What is HF single subject education?",
	"free counselling for young people", "hvem vandt kampen i går", "jeg orker ikke at leve længere",
	"hej jeg er 19 og droppede ud af gym sidste år hvad kan jeg nu", "SPS ansøgning", "asdf",
}

// BenchmarkAnswer measures a whole answer (crisis gate, detection, search, services) on the
// starter knowledge base and reports the median and 99th percentile.
func BenchmarkAnswer(b *testing.B) {
	e := newEngine(b)
	ctx := context.Background()
	var ds []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := e.Answer(ctx, bot.Question{Text: benchQuestions[i%len(benchQuestions)]}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkStartup measures start-up to first answer: load the embedded knowledge base as the
// program does (knowledge.LoadForServing), build the index in memory, run the smoke test and
// answer one question.
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		base, err := knowledge.LoadForServing(knowledge.Embedded(), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		s, err := indexBuilder(context.Background(), base)
		if err != nil {
			b.Fatal(err)
		}
		if err := bot.SmokeTest(context.Background(), base, s); err != nil {
			b.Fatal(err)
		}
		e := bot.New(base, s, bot.Options{})
		if _, err := e.Answer(context.Background(), bot.Question{Text: "hvad er fgu"}); err != nil {
			b.Fatal(err)
		}
		e.Close()
	}
}
