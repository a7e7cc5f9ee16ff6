package discord

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"maps"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/knowledge"
)

// limiter allows each user perMinute questions in any minute. Users are keyed by a salted
// SHA-256 of their id; the salt is random, lives only in memory and rotates daily (which also
// forgets every key), so no user id is ever kept.
type limiter struct {
	mu        sync.Mutex
	perMinute int
	salt      [32]byte
	saltAt    time.Time
	users     map[[16]byte]*window
	lastSweep time.Time
}

type window struct {
	times    []time.Time // questions in the last minute, oldest first
	notified bool        // the user was told about the limit in this window
}

func newLimiter(perMinute int) *limiter {
	return &limiter{perMinute: perMinute, users: map[[16]byte]*window{}}
}

// allow records a question by userID at now. ok is false when the user is over the limit;
// notify is true for the first refusal in a window (so a flood gets one notice, not many).
func (l *limiter) allow(userID string, now time.Time) (ok, notify bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.saltAt.IsZero() || now.Sub(l.saltAt) > 24*time.Hour || now.Before(l.saltAt) {
		_, _ = rand.Read(l.salt[:])
		l.saltAt = now
		clear(l.users)
	}
	h := sha256.New()
	h.Write(l.salt[:])
	h.Write([]byte(userID))
	var key [16]byte
	copy(key[:], h.Sum(nil))

	if now.Sub(l.lastSweep) > time.Minute {
		for k, w := range l.users {
			if len(w.times) == 0 || now.Sub(w.times[len(w.times)-1]) >= time.Minute {
				delete(l.users, k)
			}
		}
		l.lastSweep = now
	}
	w := l.users[key]
	if w == nil {
		w = &window{}
		l.users[key] = w
	}
	i := 0
	for i < len(w.times) && now.Sub(w.times[i]) >= time.Minute {
		i++
	}
	w.times = w.times[i:]
	if len(w.times) == 0 {
		w.notified = false
	}
	if len(w.times) >= l.perMinute {
		notify = !w.notified
		w.notified = true
		return false, notify
	}
	w.times = append(w.times, now)
	return true, false
}

// feedbackCounter counts helped / did-not-help per entry id, without any user id.
type feedbackCounter struct {
	mu     sync.Mutex
	counts map[string]FeedbackCount
	// voted holds salted hashes of (user, answer) for feedbackWindow, so one person's
	// feedback on one answer counts once; no user id is kept.
	voted map[string]time.Time
}

func newFeedbackCounter() *feedbackCounter {
	return &feedbackCounter{counts: map[string]FeedbackCount{}, voted: map[string]time.Time{}}
}

// maxVoted bounds the remembered votes; beyond it the oldest half is forgotten.
const maxVoted = 100_000

// first reports whether key has not voted within feedbackWindow, and records it.
func (f *feedbackCounter) first(key string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if at, ok := f.voted[key]; ok && now.Sub(at) < feedbackWindow {
		return false
	}
	if len(f.voted) >= maxVoted {
		for k, at := range f.voted {
			if now.Sub(at) >= feedbackWindow/2 {
				delete(f.voted, k)
			}
		}
	}
	f.voted[key] = now
	return true
}

func (f *feedbackCounter) add(ids []string, helped bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		c := f.counts[id]
		if helped {
			c.Helped++
		} else {
			c.NotHelped++
		}
		f.counts[id] = c
	}
}

func (f *feedbackCounter) snapshot() map[string]FeedbackCount {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.counts)
}

// roleCache remembers each guild's role names (id → folded name) for a while, for configs
// that name roles instead of giving their ids.
type roleCache struct {
	mu     sync.Mutex
	guilds map[string]roleNames
}

type roleNames struct {
	at    time.Time
	ok    bool
	names map[string]string
	// managed are the ids of roles managed by an integration (a bot's own role).
	managed map[string]bool
}

const (
	roleCacheTTL     = 10 * time.Minute
	roleCacheFailTTL = time.Minute
)

func newRoleCache() *roleCache { return &roleCache{guilds: map[string]roleNames{}} }

// names returns the guild's roles as id → folded name, fetching them when not cached.
// A failed fetch is remembered for a minute and yields nil.
func (b *Bot) roleNames(ctx context.Context, s *discordgo.Session, guildID string) map[string]string {
	c := b.roles
	now := b.now()
	c.mu.Lock()
	if e, ok := c.guilds[guildID]; ok {
		ttl := roleCacheTTL
		if !e.ok {
			ttl = roleCacheFailTTL
		}
		if now.Sub(e.at) < ttl {
			c.mu.Unlock()
			return e.names
		}
	}
	c.mu.Unlock()
	var roles []*discordgo.Role
	err := b.call(ctx, "guild_roles", func(o ...discordgo.RequestOption) error {
		var err error
		roles, err = s.GuildRoles(guildID, o...)
		return err
	})
	e := roleNames{at: now, ok: err == nil}
	if err != nil {
		b.log.Warn("guild roles not fetched", "error_class", errorClass(err))
	} else {
		e.names, e.managed = map[string]string{}, map[string]bool{}
		for _, r := range roles {
			e.names[r.ID] = knowledge.Fold(r.Name)
			e.managed[r.ID] = r.Managed
		}
	}
	c.mu.Lock()
	c.guilds[guildID] = e
	c.mu.Unlock()
	return e.names
}

// deliveries remembers the ids of the interactions and messages handled in the last 15 to 30
// minutes (an interaction token lives 15), so an event Discord delivers twice is handled once.
// It holds snowflake ids only, in memory, in two generations that rotate every 15 minutes (or
// early, at deliveriesMax ids, so a flood cannot grow it without bound).
type deliveries struct {
	mu        sync.Mutex
	cur, prev map[string]struct{}
	since     time.Time
}

const (
	deliveriesTTL = 15 * time.Minute
	deliveriesMax = 100_000
)

// first records id at now and reports whether it had not been seen; an empty id always counts
// as new.
func (d *deliveries) first(id string, now time.Time) bool {
	if id == "" {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cur == nil || now.Sub(d.since) >= deliveriesTTL || now.Before(d.since) || len(d.cur) >= deliveriesMax {
		d.prev, d.cur, d.since = d.cur, map[string]struct{}{}, now
	}
	if _, ok := d.cur[id]; ok {
		return false
	}
	if _, ok := d.prev[id]; ok {
		return false
	}
	d.cur[id] = struct{}{}
	return true
}

// mentionsBotRole reports whether m mentions the bot's own managed role (the role Discord
// creates for a bot, named after it): people often pick that one from the mention list.
func (b *Bot) mentionsBotRole(ctx context.Context, s *discordgo.Session, m *discordgo.Message) bool {
	if len(m.MentionRoles) == 0 || m.GuildID == "" {
		return false
	}
	b.mu.Lock()
	name := knowledge.Fold(b.selfName)
	b.mu.Unlock()
	if name == "" {
		return false
	}
	names := b.roleNames(ctx, s, m.GuildID)
	b.roles.mu.Lock()
	managed := b.roles.guilds[m.GuildID].managed
	b.roles.mu.Unlock()
	for _, id := range m.MentionRoles {
		if managed[id] && names[id] == name {
			return true
		}
	}
	return false
}
