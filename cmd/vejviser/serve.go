package main

import (
	"context"
	"errors"
)

func (e *env) serve(ctx context.Context, args []string) error {
	return errors.New("serve: not yet")
}
