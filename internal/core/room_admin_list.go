package core

import (
	"context"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// AdminRooms lists every room of the given types (all when empty) whose
// name matches text, for administrators (rooms.adminRooms).
func (s *Service) AdminRooms(ctx context.Context, actor *chat.User, types []chat.RoomType, text string, offset, limit int) ([]chat.Room, int, error) {
	if err := s.require(ctx, actor, "view-room-administration", ""); err != nil {
		return nil, 0, err
	}
	for _, t := range types {
		if !t.Valid() {
			return nil, 0, chat.ErrInvalidParam("invalid room type %q", t)
		}
	}
	return s.store.ListRooms(ctx, chat.RoomFilter{
		Types: types, Text: text, Offset: offset, Limit: limit,
		Sort: []chat.SortField{{Field: "name"}},
	})
}
