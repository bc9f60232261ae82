package chat

import (
	"crypto/rand"
	"sort"
	"strings"
)

// idAlphabet is the alphabet of Meteor's Random.id, so our ids look like the
// ones Rocket.Chat clients already handle.
const idAlphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"

// GeneralRoomID is the id of #general, fixed as in Rocket.Chat.
const GeneralRoomID = "GENERAL"

// BotUserID and BotUsername identify the built-in bot user.
const (
	BotUserID   = "rocket.cat"
	BotUsername = "rocket.cat"
)

// NewID returns a 17-character random id in Meteor's alphabet.
func NewID() string { return RandomString(17) }

// RandomString returns n random characters of Meteor's id alphabet.
func RandomString(n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic("chat: crypto/rand failed: " + err.Error())
	}
	// 256 is not a multiple of len(idAlphabet); rejection would remove the
	// tiny bias, but ids need uniqueness, not uniformity.
	for i, b := range buf {
		buf[i] = idAlphabet[int(b)%len(idAlphabet)]
	}
	return string(buf)
}

// DirectRoomID returns the id of the direct-message room between the given
// users: their ids sorted and concatenated, as Rocket.Chat builds it. A DM
// with oneself uses the id once.
func DirectRoomID(userIDs ...string) string {
	ids := append([]string(nil), userIDs...)
	sort.Strings(ids)
	out := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			out = append(out, id)
		}
	}
	if len(out) == 1 {
		return out[0] + out[0]
	}
	return strings.Join(out, "")
}
