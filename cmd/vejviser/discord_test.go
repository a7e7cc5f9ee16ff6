package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/discord/discordtest"
	"github.com/vejviser/vejviser/knowledge"
)

// primeEmbeddedCrisis trains the crisis detector of the embedded knowledge base into the
// process-wide cache before a test starts its clock. The main job would train it itself (about a
// second, several under the race detector while other packages' tests run); the deadlines below
// are for the Discord path – connecting, registering, stopping – not for that training, and with
// the detector ready they no longer depend on how busy the machine is.
func primeEmbeddedCrisis(t *testing.T) {
	t.Helper()
	base, err := loadKnowledge(knowledge.Embedded(), time.Now())
	if err != nil {
		t.Fatalf("load the embedded knowledge: %v", err)
	}
	bot.PrepareCrisis(base)
}

// startupWait is how long a test waits for the program to start and reach Discord: until
// shortly before go test's deadline. Start-up loads and indexes the whole base, which under the
// race detector on a busy 2-core machine can take more than the 10 s these tests waited before
// (a reload of the same work took over 10 s in CI on 2026-12-05). The tests ask that it starts;
// how fast is the start-up benchmark's question (README, Speed).
func startupWait(t *testing.T) time.Duration {
	t.Helper()
	const margin = 30 * time.Second // for the failure to be reported and clean-up to run
	if deadline, ok := t.Deadline(); ok {
		return time.Until(deadline) - margin
	}
	return time.Hour // -timeout 0: go test waits for ever, this only bounds the test
}

// TestMainJobRunsDiscord runs the main job with DISCORD_TOKEN set and the API origin from
// VEJVISER_DISCORD_API_URL pointing at a fake Discord: the commands are registered with the
// token from the environment, the token never reaches the log, and cancelling stops it.
func TestMainJobRunsDiscord(t *testing.T) {
	primeEmbeddedCrisis(t)
	fake := discordtest.New()
	defer fake.Close()
	const token = "env-token-123"
	getenv := func(k string) string {
		switch k {
		case "DISCORD_TOKEN":
			return token
		case "VEJVISER_DISCORD_API_URL":
			return fake.URL()
		}
		return ""
	}
	chdirTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs discordtest.LogBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), &logs, &logs) }()

	req, err := fake.WaitRequest(startupWait(t), func(r discordtest.Request) bool {
		return r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands")
	})
	if err != nil {
		t.Fatalf("no command registration: %v\nlog:\n%s", err, logs.String())
	}
	if req.Authorization != "Bot "+token {
		t.Errorf("registration Authorization = %q; want the token from the environment", req.Authorization)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel = %v; want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the bot did not stop")
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the token appears in the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "starting the Discord bot") {
		t.Errorf("the log does not say the Discord bot started:\n%s", logs.String())
	}
}

// TestMainJobBadToken checks that close code 4004 stops the main job with one clear error.
func TestMainJobBadToken(t *testing.T) {
	primeEmbeddedCrisis(t)
	fake := discordtest.New()
	defer fake.Close()
	fake.CloseAfterIdentify(4004)
	getenv := func(k string) string {
		return map[string]string{"DISCORD_TOKEN": "bad", "VEJVISER_DISCORD_API_URL": fake.URL()}[k]
	}
	chdirTemp(t)
	done := make(chan error, 1)
	var logs discordtest.LogBuffer
	go func() {
		done <- run(context.Background(), nil, getenv, strings.NewReader(""), &logs, &logs)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "4004") {
			t.Errorf("run with a bad token = %v; want an error naming close code 4004", err)
		}
	case <-time.After(startupWait(t)):
		t.Fatal("a bad token did not stop the bot")
	}
}
