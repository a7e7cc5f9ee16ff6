package web

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// testEngine builds, once per test binary, a real engine over the fixture knowledge folder
// testdata/knowledge (five entries, three municipalities).
var testEngine = sync.OnceValues(func() (*bot.Engine, error) {
	base, err := knowledge.Load(os.DirFS("testdata/knowledge"), time.Now())
	if err != nil {
		return nil, err
	}
	ix, err := index.Build(context.Background(), base, index.Options{})
	if err != nil {
		return nil, err
	}
	return bot.New(base, ix, bot.Options{}), nil
})

func engine(tb testing.TB) *bot.Engine {
	tb.Helper()
	e, err := testEngine()
	if err != nil {
		tb.Fatalf("build test engine from testdata/knowledge: %v", err)
	}
	return e
}
