package web

import (
	"net"
	"net/http"
	"sync"
)

// MaxConns is the most connections the preview keeps open. Issue 10 measured that about
// 20,000 idle keep-alive connections exhaust the process's file handles (1,024 by default on
// Linux); 256 leaves most of them for the index, the knowledge files and the editors' store.
const MaxConns = 256

// LimitConns wraps ln so that srv keeps at most max connections open. When a new connection
// would go over the limit, an idle keep-alive connection is closed to make room; when none is
// idle, the new connection is closed at once (the client sees a reset and can retry) rather
// than letting idle clients starve everyone else. It sets srv.ConnState.
func LimitConns(ln net.Listener, srv *http.Server, max int) net.Listener {
	l := &limitListener{Listener: ln, max: max, idle: map[net.Conn]bool{}, open: map[net.Conn]bool{}}
	prev := srv.ConnState
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		l.state(c, s)
		if prev != nil {
			prev(c, s)
		}
	}
	return l
}

type limitListener struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[net.Conn]bool // every connection handed to the server and not yet closed
	idle map[net.Conn]bool // the open connections waiting for their next request
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		if len(l.open) >= l.max {
			var victim net.Conn
			for v := range l.idle {
				victim = v
				break
			}
			if victim == nil {
				l.mu.Unlock()
				c.Close()
				continue
			}
			delete(l.idle, victim)
			delete(l.open, victim)
			victim.Close()
		}
		l.open[c] = true
		l.mu.Unlock()
		return c, nil
	}
}

func (l *limitListener) state(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch s {
	case http.StateIdle:
		if l.open[c] {
			l.idle[c] = true
		}
	case http.StateActive:
		delete(l.idle, c)
	case http.StateClosed, http.StateHijacked:
		delete(l.idle, c)
		delete(l.open, c)
	}
}
