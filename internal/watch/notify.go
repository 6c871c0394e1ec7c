package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/queue"
)

// Notifier delivers alerts.
type Notifier interface {
	Notify(ctx context.Context, a Alert) error
}

// Notifiers delivers to each in turn and returns the first error, after trying all.
type Notifiers []Notifier

// Notify implements Notifier.
func (ns Notifiers) Notify(ctx context.Context, a Alert) error {
	var first error
	for _, n := range ns {
		if err := n.Notify(ctx, a); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// JSONLines writes each alert as one line of JSON (to stdout in the CLI). Safe for concurrent
// use.
type JSONLines struct {
	mu sync.Mutex
	W  io.Writer
}

// Notify implements Notifier.
func (j *JSONLines) Notify(_ context.Context, a Alert) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err = j.W.Write(append(b, '\n'))
	return err
}

// Webhook POSTs each alert as JSON to a URL, retrying with back-off when the receiver is down
// or overloaded (network errors, 5xx, 429) and giving up at once on other answers (a 4xx will
// not get better).
type Webhook struct {
	URL    string
	Client *http.Client
	// Timeout bounds one request. Default 10s.
	Timeout time.Duration
	// Attempts is how many requests one alert gets. Default 5.
	Attempts int
	// Backoff spaces the attempts. Default 1s, 2s, 4s... up to 1m, ±50%.
	Backoff queue.Backoff
}

// Notify implements Notifier.
func (h *Webhook) Notify(ctx context.Context, a Alert) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	attempts, timeout, b := h.Attempts, h.Timeout, h.Backoff
	if attempts <= 0 {
		attempts = 5
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if b.Base <= 0 {
		b = queue.Backoff{Base: time.Second, Max: time.Minute, Jitter: 0.5}
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	var last error
	for i := 1; i <= attempts; i++ {
		retry, err := h.post(ctx, client, timeout, body)
		if err == nil {
			return nil
		}
		last = err
		if !retry || i == attempts {
			break
		}
		t := time.NewTimer(b.Delay(i))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return mizan.Errorf(mizan.EUNAVAILABLE, "webhook %s: %s", h.URL, mizan.ErrorMessage(last))
}

// post makes one request; retry says whether another may succeed.
func (h *Webhook) post(ctx context.Context, client *http.Client, timeout time.Duration, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return false, mizan.Errorf(mizan.EINVALID, "invalid webhook URL: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "mizan-watch")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return true, mizan.Errorf(mizan.EUNAVAILABLE, "timed out after %s", timeout)
		}
		return true, mizan.Errorf(mizan.EUNAVAILABLE, "%v", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, mizan.Errorf(mizan.EUNAVAILABLE, "HTTP %d", resp.StatusCode)
	default:
		return false, mizan.Errorf(mizan.EUNAVAILABLE, "HTTP %d (not retried)", resp.StatusCode)
	}
}

func (h *Webhook) String() string { return fmt.Sprintf("webhook %s", h.URL) }
