// Command vejviser runs Vejviser: the Discord bot when DISCORD_TOKEN is set, otherwise a local
// preview in the browser, and the editors' tools (ask, check, index, eval).
//
//	vejviser [--config F] [--knowledge DIR] [--addr HOST:PORT]
//	vejviser ask [--kommune K] [--json] QUESTION | -
//	vejviser check [--knowledge DIR]
//	vejviser index [--knowledge DIR] [--out DIR]
//	vejviser train [DIR]
//	vejviser eval [--min-recall3 X ...] FILE
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		switch {
		case errors.Is(err, errSilent):
		case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			// Stopped by a signal – perhaps while the crisis classifier trained (25–35 s the
			// first time): say so rather than "context canceled".
			fmt.Fprintln(os.Stderr, "vejviser: stopped by a signal before it finished")
		default:
			fmt.Fprintln(os.Stderr, "vejviser:", err)
		}
		os.Exit(1)
	}
}

// run is the whole program behind main, with its environment passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	useCrisisStore(getenv)
	if len(args) > 0 {
		switch args[0] {
		case "ask":
			return env.ask(ctx, args[1:])
		case "check":
			return env.check(ctx, args[1:])
		case "index":
			return env.index(ctx, args[1:])
		case "train":
			return env.train(ctx, args[1:])
		case "eval":
			return env.eval(ctx, args[1:])
		case "serve":
			return env.serve(ctx, args[1:])
		case "report":
			return env.report(args[1:])
		case "help", "-h", "--help", "-help":
			fmt.Fprint(stdout, usage)
			return nil
		}
	}
	return env.serve(ctx, args)
}

const usage = `Vejviser – a signpost for young people in Region Midtjylland.

Usage:
  vejviser [--config F] [--knowledge DIR] [--addr HOST:PORT]
        Run the main job: the Discord bot when DISCORD_TOKEN is set, otherwise the local
        preview at --addr (default 127.0.0.1:8080).
  vejviser ask [--kommune K] [--json] [--knowledge DIR] QUESTION
        Answer one question; with "-" read one question per line from stdin and write one
        JSON object per line.
  vejviser check [--knowledge DIR]
        Validate the knowledge files; prints file:line:col: problem. Exit 1 on errors.
  vejviser index [--knowledge DIR] [--out DIR]
        Build the on-disk index the bot serves from.
  vejviser train [DIR]
        Train the crisis classifier from a knowledge folder (default: knowledge) and write it
        to DIR/crisis.model, so the next start-up reads it instead of training (about a minute).
  vejviser report [--lang en] [--delete ID | --purge]
        The editors' report: questions sent with consent (30 days), counts of unanswered
        questions, feedback per entry and what is past its review date. --delete and --purge
        delete stored questions.
  vejviser eval [--knowledge DIR] [thresholds] FILE
        Run a questions file and print Recall@1, Recall@3, MRR and accuracies.

Without --knowledge (or knowledge in config.toml) the knowledge base built into the binary is used.
`

// env is what the subcommands share: the process's surroundings.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// errSilent is returned when the problem was already printed in full.
var errSilent = errors.New("failed")
