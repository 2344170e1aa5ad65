package notify

import (
	"context"
	"time"
)

// dueConversations reminds follow-up staff of conversations coming due in
// the follow-up register.
func (n *Notifier) dueConversations(ctx context.Context, now time.Time) error {
	return nil
}
