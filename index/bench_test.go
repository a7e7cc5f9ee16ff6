package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// benchQuestions are questions of the kinds young people ask: plain, informal, typos,
// compounds, English, and off-topic.
var benchQuestions = []string{
	"hvad er fgu", "Hvor meget får man i skoleydelse på FGU?", "kan jeg få handicaptillæg til min su",
	"handicap tillæg", "enkelfag på hf", "headspce", "erhversmentor", "har angst og vil gerne i job",
	"jeg bor i Grenaa, hvem er min ungevejleder", "What is HF single subject education?",
	"free counselling for young people", "hvem vandt kampen i går", "ordblinde undervisning",
	"hej jeg er 19 og droppede ud af gym sidste år hvad kan jeg nu", "SPS ansøgning", "asdf",
}

// synthetic returns n entries made from the real ones: each copies a real entry's fields
// and mixes in words drawn from the whole knowledge base, so term statistics stay realistic.
func synthetic(base *knowledge.Base, n int) *knowledge.Base {
	r := rand.New(rand.NewPCG(42, 7))
	var words []string
	for _, e := range base.Entries {
		words = append(words, knowledge.Words(e.Body)...)
	}
	out := &knowledge.Base{Synonyms: base.Synonyms, Kommuner: base.Kommuner, Version: "synthetic"}
	for i := range n {
		src := base.Entries[i%len(base.Entries)]
		e := *src
		e.ID = fmt.Sprintf("syn-%05d", i)
		mix := make([]string, 250)
		for j := range mix {
			mix[j] = words[r.IntN(len(words))]
		}
		e.Title = src.Title + " " + words[r.IntN(len(words))]
		e.Body = strings.Join(mix, " ")
		e.EN.Body = ""
		out.Entries = append(out.Entries, &e)
	}
	return out
}

// latencies runs the questions through ix and reports p50 and p99 per query.
func latencies(b *testing.B, ix *Index) {
	ctx := context.Background()
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := ix.Search(ctx, benchQuestions[i%len(benchQuestions)], "da", 3); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(ds)
	if len(ds) > 0 {
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkSearchStarter measures one search on the starter knowledge base.
func BenchmarkSearchStarter(b *testing.B) {
	ix := build(b, loadBase(b))
	latencies(b, ix)
}

// BenchmarkSearch20k measures one search over 20,000 synthetic entries (in memory).
func BenchmarkSearch20k(b *testing.B) {
	base := synthetic(loadBase(b), 20000)
	heapBefore := heapInuse()
	start := time.Now()
	ix := build(b, base)
	took := time.Since(start)
	latencies(b, ix)
	// Measured after the searches: right after a build, scorch may still hold the batch it
	// has just introduced, which made a measurement there swing between 66 and 520 MiB.
	// Reported after the loop, because b.Loop resets the timer, which drops earlier metrics.
	b.ReportMetric(took.Seconds(), "build-s")
	b.ReportMetric(float64(heapInuse()-heapBefore)/(1<<20), "index-heap-MiB")
}

// heapInuse returns the bytes of heap in use after a garbage collection.
func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkBuild20kDisk measures building 20,000 synthetic entries on disk.
func BenchmarkBuild20kDisk(b *testing.B) {
	base := synthetic(loadBase(b), 20000)
	for b.Loop() {
		dir := b.TempDir() + "/gen"
		ix, err := Build(context.Background(), base, Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}
