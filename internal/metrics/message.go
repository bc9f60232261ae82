package metrics

import "github.com/liftoff-chat/liftoff/internal/chat"

// MessageSent counts a message that a user sent. Its signature is
// core.Service.OnMessageSent's. System messages (joins, renames) are not
// counted: rocketchat_message_sent feeds "messages per second" panels.
func (m *Metrics) MessageSent(msg *chat.Message, _ *chat.Room) {
	if m == nil || msg == nil || msg.Type != "" {
		return
	}
	m.messagesSent.Inc()
}
