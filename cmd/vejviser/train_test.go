package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// smallKnowledge returns a knowledge folder with the three entries of knowledge/testdata/valid
// and a few of the real crisis example files: enough to train a small classifier in a second.
func smallKnowledge(t *testing.T) string {
	t.Helper()
	dir := knowledgeCopy(t, filepath.Join("testdata", "valid"))
	if err := os.MkdirAll(filepath.Join(dir, "crisis-examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"own-words-22.toml", "looks-none.toml", "ondt-i-livet.toml", "da-none-3.toml"} {
		data, err := os.ReadFile(filepath.Join("../../knowledge", "crisis-examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "crisis-examples", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestTrain checks `vejviser train DIR`: it writes DIR/crisis.model, a second run finds it fresh
// and leaves it alone, check notes a stale file only after an example changed, and train
// trains again then.
func TestTrain(t *testing.T) {
	dir := smallKnowledge(t)
	path := filepath.Join(dir, "crisis.model")

	_, stderr, err := runCmd(t, "", "train", dir)
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stderr)
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("train wrote no crisis.model: %v", err)
	}
	if !bytes.HasPrefix(first, []byte("vejviser crisis classifier")) {
		t.Errorf("crisis.model starts %q; want its header", first[:min(len(first), 40)])
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".crisis.model*")); len(matches) > 0 {
		t.Errorf("train left temporary files: %v", matches)
	}

	_, stderr, err = runCmd(t, "", "train", dir)
	if err != nil || !strings.Contains(stderr, "already trained") {
		t.Errorf("second train: err %v, stderr %q; want it to find crisis.model fresh", err, stderr)
	}
	// A program that serves the folder reads the classifier without decoding the examples.
	served, err := knowledge.LoadForServing(os.DirFS(dir), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if served.Crisis.Examples != nil || !bot.CrisisModelFresh(served) {
		t.Errorf("LoadForServing after train: %d examples decoded, crisis.model fresh %v; want none and true",
			len(served.Crisis.Examples), bot.CrisisModelFresh(served))
	}
	stdout, _, err := runCmd(t, "", "ask", "--knowledge", dir, "jeg har taget alle mine piller og vil ikke vågne igen")
	if err != nil || !strings.Contains(stdout, "112") {
		t.Errorf("ask a crisis message on the served folder: err %v; want the crisis card with 112:\n%s", err, stdout)
	}
	_, stderr, err = runCmd(t, "", "check", "--lang", "en", dir)
	if err != nil || strings.Contains(stderr, "note:") {
		t.Errorf("check with a fresh crisis.model: err %v, stderr %q; want no note", err, stderr)
	}

	ex := filepath.Join(dir, "crisis-examples", "looks-none.toml")
	data, err := os.ReadFile(ex)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, "\n[[example]]\ntext = \"en ny besked fra en redaktør\"\ntier = \"none\"\nkind = \"ordinary\"\nlang = \"da\"\n"...)
	if err := os.WriteFile(ex, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err = runCmd(t, "", "check", "--lang", "en", dir)
	if err != nil || !strings.Contains(stderr, "note: crisis.model was not trained from these crisis examples") {
		t.Errorf("check after an example was added: err %v, stderr %q; want the note on crisis.model", err, stderr)
	}
	_, stderr, err = runCmd(t, "", "train", dir)
	if err != nil || strings.Contains(stderr, "already trained") {
		t.Fatalf("train after an example was added: err %v, stderr %q; want it to train", err, stderr)
	}
	second, _ := os.ReadFile(path)
	if bytes.Equal(first, second) {
		t.Errorf("crisis.model is unchanged after training on another example")
	}
}

// TestTrainBadFolder: train names the folder it cannot use and writes nothing.
func TestTrainBadFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing", []string{"train", missing}, "does not exist"},
		{"two folders", []string{"train", missing, missing}, "give one knowledge folder"},
		{"broken", []string{"train", brokenKnowledge(t)}, "title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: err %v; want one containing %q", tt.args, err, tt.want)
			}
		})
	}
}
