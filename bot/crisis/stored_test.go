package crisis_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/vejviser/vejviser/bot/crisis"
)

// TestStoredModel checks that a stored classifier gives the very detector that was trained: the
// same bytes when stored again, and the same verdict, score and weak mark for every fifth example
// (about 10,000: every example doubled this test's time under the race detector, 25 s, and the
// bytes already show that every weight came back).
func TestStoredModel(t *testing.T) {
	base, d, trained := liveDetected(t)
	data := d.EncodeModel()
	if len(data) == 0 {
		t.Fatal("EncodeModel() = nothing for a trained detector")
	}
	s, err := crisis.NewStored(base.Crisis, crisis.OptionsFor(base), data)
	if err != nil {
		t.Fatalf("NewStored: %v", err)
	}
	if again := s.EncodeModel(); !bytes.Equal(again, data) {
		t.Errorf("stored again: %d bytes that differ from the %d stored", len(again), len(data))
	}
	every5th := func(i int) bool { return i%5 == 0 }
	stored := detectEach(s, base.Crisis.Examples, every5th)
	for i, e := range base.Crisis.Examples {
		if !every5th(i) {
			continue
		}
		got, want := stored[i], trained[i]
		if got.Tier != want.Tier || got.Score != want.Score || got.Weak != want.Weak {
			t.Fatalf("Detect(%q) from the stored model = %s %.6f weak=%v; trained = %s %.6f weak=%v", e.Text, got.Tier, got.Score, got.Weak, want.Tier, want.Score, want.Weak)
		}
	}
}

// TestStoredModelDamaged checks that damaged or foreign data is refused, never served.
func TestStoredModelDamaged(t *testing.T) {
	base, d := live(t)
	data := d.EncodeModel()
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 1
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"cut short", data[:len(data)/2]},
		{"one bit flipped", flipped},
		{"not a model", []byte("hello, this is not a model at all, but it is long enough to have a checksum")},
	}
	for _, tt := range tests {
		if _, err := crisis.NewStored(base.Crisis, crisis.OptionsFor(base), tt.data); !errors.Is(err, crisis.ErrStoredModel) {
			t.Errorf("%s: NewStored error = %v; want ErrStoredModel", tt.name, err)
		}
	}
	fewer := base.Crisis
	fewer.Rules = fewer.Rules[:len(fewer.Rules)-1]
	if _, err := crisis.NewStored(fewer, crisis.OptionsFor(base), data); !errors.Is(err, crisis.ErrStoredModel) {
		t.Errorf("NewStored for crisis data with one rule fewer: error = %v; want ErrStoredModel", err)
	}
	if got := crisis.New(base.Crisis, crisis.Options{NoModel: true}).EncodeModel(); got != nil {
		t.Errorf("EncodeModel() without a classifier = %d bytes; want nil", len(got))
	}
}

// BenchmarkNewStored measures building a detector from a stored classifier (what a start-up
// with a stored model costs instead of training).
func BenchmarkNewStored(b *testing.B) {
	base, d := live(b)
	data := d.EncodeModel()
	b.ReportMetric(float64(len(data))/(1<<20), "MiB")
	for b.Loop() {
		if _, err := crisis.NewStored(base.Crisis, crisis.OptionsFor(base), data); err != nil {
			b.Fatal(err)
		}
	}
}
