package metrics

import (
	"context"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// Store returns st with every operation timed into
// liftoff_store_op_duration_seconds{op} and its failures counted, op being
// the method's name. Operations inside WithTx are timed too, and WithTx
// itself measures the whole transaction. A method added to chat.Store
// later passes through untimed until it is added here.
func (m *Metrics) Store(st chat.Store) chat.Store {
	if m == nil || st == nil {
		return st
	}
	return &timedStore{Store: st, m: m}
}

// timedStore decorates a chat.Store.
type timedStore struct {
	chat.Store
	m *Metrics
}

// Unwrap returns the decorated store, for code that needs the concrete
// backend (backups).
func (s *timedStore) Unwrap() chat.Store { return s.Store }

// done records one operation. Not-found and conflict are answers, not
// failures, so they are not counted as errors.
func (s *timedStore) done(op string, start time.Time, err *error) {
	s.m.storeDuration.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if *err != nil {
		switch chat.ErrorKind(*err) {
		case chat.ENotFound, chat.EConflict, chat.EInvalid:
		default:
			s.m.storeErrors.WithLabelValues(op).Inc()
		}
	}
}

// WithTx implements chat.Store: fn gets a timed view of the transaction.
func (s *timedStore) WithTx(ctx context.Context, fn func(tx chat.Store) error) (err error) {
	defer s.done("WithTx", time.Now(), &err)
	return s.Store.WithTx(ctx, func(tx chat.Store) error {
		return fn(&timedStore{Store: tx, m: s.m})
	})
}

// The methods below implement chat.Store, each timing one call of the
// decorated store under its own name.

func (s *timedStore) Ping(ctx context.Context) (err error) {
	defer s.done("Ping", time.Now(), &err)
	return s.Store.Ping(ctx)
}

func (s *timedStore) CreateUser(ctx context.Context, u *chat.User) (err error) {
	defer s.done("CreateUser", time.Now(), &err)
	return s.Store.CreateUser(ctx, u)
}

func (s *timedStore) UpdateUser(ctx context.Context, u *chat.User) (err error) {
	defer s.done("UpdateUser", time.Now(), &err)
	return s.Store.UpdateUser(ctx, u)
}

func (s *timedStore) DeleteUser(ctx context.Context, id string) (err error) {
	defer s.done("DeleteUser", time.Now(), &err)
	return s.Store.DeleteUser(ctx, id)
}

func (s *timedStore) UserByID(ctx context.Context, id string) (a *chat.User, err error) {
	defer s.done("UserByID", time.Now(), &err)
	return s.Store.UserByID(ctx, id)
}

func (s *timedStore) UserByUsername(ctx context.Context, username string) (a *chat.User, err error) {
	defer s.done("UserByUsername", time.Now(), &err)
	return s.Store.UserByUsername(ctx, username)
}

func (s *timedStore) UserByEmail(ctx context.Context, email string) (a *chat.User, err error) {
	defer s.done("UserByEmail", time.Now(), &err)
	return s.Store.UserByEmail(ctx, email)
}

func (s *timedStore) UsersByIDs(ctx context.Context, ids []string) (a []chat.User, err error) {
	defer s.done("UsersByIDs", time.Now(), &err)
	return s.Store.UsersByIDs(ctx, ids)
}

func (s *timedStore) UsersByUsernames(ctx context.Context, usernames []string) (a []chat.User, err error) {
	defer s.done("UsersByUsernames", time.Now(), &err)
	return s.Store.UsersByUsernames(ctx, usernames)
}

func (s *timedStore) ListUsers(ctx context.Context, f chat.UserFilter) (a []chat.User, b int, err error) {
	defer s.done("ListUsers", time.Now(), &err)
	return s.Store.ListUsers(ctx, f)
}

func (s *timedStore) CountUsers(ctx context.Context, f chat.UserFilter) (a int, err error) {
	defer s.done("CountUsers", time.Now(), &err)
	return s.Store.CountUsers(ctx, f)
}

func (s *timedStore) SetUserStatus(ctx context.Context, id, status, statusDefault, statusConnection, statusText string, at time.Time) (err error) {
	defer s.done("SetUserStatus", time.Now(), &err)
	return s.Store.SetUserStatus(ctx, id, status, statusDefault, statusConnection, statusText, at)
}

func (s *timedStore) AddToken(ctx context.Context, t *chat.Token) (err error) {
	defer s.done("AddToken", time.Now(), &err)
	return s.Store.AddToken(ctx, t)
}

func (s *timedStore) TokenByHash(ctx context.Context, hash string) (a *chat.Token, err error) {
	defer s.done("TokenByHash", time.Now(), &err)
	return s.Store.TokenByHash(ctx, hash)
}

func (s *timedStore) DeleteToken(ctx context.Context, hash string) (err error) {
	defer s.done("DeleteToken", time.Now(), &err)
	return s.Store.DeleteToken(ctx, hash)
}

func (s *timedStore) TokensByUser(ctx context.Context, userID, kind string) (a []chat.Token, err error) {
	defer s.done("TokensByUser", time.Now(), &err)
	return s.Store.TokensByUser(ctx, userID, kind)
}

func (s *timedStore) DeleteUserTokens(ctx context.Context, userID, kind string) (err error) {
	defer s.done("DeleteUserTokens", time.Now(), &err)
	return s.Store.DeleteUserTokens(ctx, userID, kind)
}

func (s *timedStore) CreateRoom(ctx context.Context, r *chat.Room) (err error) {
	defer s.done("CreateRoom", time.Now(), &err)
	return s.Store.CreateRoom(ctx, r)
}

func (s *timedStore) UpdateRoom(ctx context.Context, r *chat.Room) (err error) {
	defer s.done("UpdateRoom", time.Now(), &err)
	return s.Store.UpdateRoom(ctx, r)
}

func (s *timedStore) DeleteRoom(ctx context.Context, id string, at time.Time) (err error) {
	defer s.done("DeleteRoom", time.Now(), &err)
	return s.Store.DeleteRoom(ctx, id, at)
}

func (s *timedStore) RoomByID(ctx context.Context, id string) (a *chat.Room, err error) {
	defer s.done("RoomByID", time.Now(), &err)
	return s.Store.RoomByID(ctx, id)
}

func (s *timedStore) RoomByName(ctx context.Context, name string) (a *chat.Room, err error) {
	defer s.done("RoomByName", time.Now(), &err)
	return s.Store.RoomByName(ctx, name)
}

func (s *timedStore) ListRooms(ctx context.Context, f chat.RoomFilter) (a []chat.Room, b int, err error) {
	defer s.done("ListRooms", time.Now(), &err)
	return s.Store.ListRooms(ctx, f)
}

func (s *timedStore) RoomsOfUser(ctx context.Context, userID string, since time.Time) (a []chat.Room, err error) {
	defer s.done("RoomsOfUser", time.Now(), &err)
	return s.Store.RoomsOfUser(ctx, userID, since)
}

func (s *timedStore) RoomRemovalsForUser(ctx context.Context, userID string, since time.Time) (a []chat.Removal, err error) {
	defer s.done("RoomRemovalsForUser", time.Now(), &err)
	return s.Store.RoomRemovalsForUser(ctx, userID, since)
}

func (s *timedStore) IncrementRoomUsers(ctx context.Context, id string, delta int) (err error) {
	defer s.done("IncrementRoomUsers", time.Now(), &err)
	return s.Store.IncrementRoomUsers(ctx, id, delta)
}

func (s *timedStore) CreateSubscription(ctx context.Context, v *chat.Subscription) (err error) {
	defer s.done("CreateSubscription", time.Now(), &err)
	return s.Store.CreateSubscription(ctx, v)
}

func (s *timedStore) UpdateSubscription(ctx context.Context, v *chat.Subscription) (err error) {
	defer s.done("UpdateSubscription", time.Now(), &err)
	return s.Store.UpdateSubscription(ctx, v)
}

func (s *timedStore) DeleteSubscription(ctx context.Context, roomID, userID string, at time.Time) (err error) {
	defer s.done("DeleteSubscription", time.Now(), &err)
	return s.Store.DeleteSubscription(ctx, roomID, userID, at)
}

func (s *timedStore) Subscription(ctx context.Context, roomID, userID string) (a *chat.Subscription, err error) {
	defer s.done("Subscription", time.Now(), &err)
	return s.Store.Subscription(ctx, roomID, userID)
}

func (s *timedStore) Membership(ctx context.Context, roomID, userID string) (a *chat.Subscription, err error) {
	defer s.done("Membership", time.Now(), &err)
	return s.Store.Membership(ctx, roomID, userID)
}

func (s *timedStore) SubscriptionsOfUser(ctx context.Context, userID string, f chat.SubscriptionFilter) (a []chat.Subscription, err error) {
	defer s.done("SubscriptionsOfUser", time.Now(), &err)
	return s.Store.SubscriptionsOfUser(ctx, userID, f)
}

func (s *timedStore) SubscriptionRemovals(ctx context.Context, userID string, since time.Time) (a []chat.Removal, err error) {
	defer s.done("SubscriptionRemovals", time.Now(), &err)
	return s.Store.SubscriptionRemovals(ctx, userID, since)
}

func (s *timedStore) SubscriptionsWithRoles(ctx context.Context, roomID string) (a []chat.Subscription, err error) {
	defer s.done("SubscriptionsWithRoles", time.Now(), &err)
	return s.Store.SubscriptionsWithRoles(ctx, roomID)
}

func (s *timedStore) RoomMembers(ctx context.Context, roomID string, f chat.MemberFilter) (a []chat.Member, b int, err error) {
	defer s.done("RoomMembers", time.Now(), &err)
	return s.Store.RoomMembers(ctx, roomID, f)
}

func (s *timedStore) MemberIDs(ctx context.Context, roomID string) (a []string, err error) {
	defer s.done("MemberIDs", time.Now(), &err)
	return s.Store.MemberIDs(ctx, roomID)
}

func (s *timedStore) RenameSubscriptions(ctx context.Context, roomID, name, fname string, at time.Time) (err error) {
	defer s.done("RenameSubscriptions", time.Now(), &err)
	return s.Store.RenameSubscriptions(ctx, roomID, name, fname, at)
}

func (s *timedStore) TouchSubscriptions(ctx context.Context, roomID string, at time.Time) (err error) {
	defer s.done("TouchSubscriptions", time.Now(), &err)
	return s.Store.TouchSubscriptions(ctx, roomID, at)
}

func (s *timedStore) RenameUserInSubscriptions(ctx context.Context, userID, username, name string, at time.Time) (err error) {
	defer s.done("RenameUserInSubscriptions", time.Now(), &err)
	return s.Store.RenameUserInSubscriptions(ctx, userID, username, name, at)
}

func (s *timedStore) InsertMessage(ctx context.Context, m *chat.Message, updateLast bool) (err error) {
	defer s.done("InsertMessage", time.Now(), &err)
	return s.Store.InsertMessage(ctx, m, updateLast)
}

func (s *timedStore) UpdateMessage(ctx context.Context, m *chat.Message) (err error) {
	defer s.done("UpdateMessage", time.Now(), &err)
	return s.Store.UpdateMessage(ctx, m)
}

func (s *timedStore) DeleteMessage(ctx context.Context, id string, at time.Time) (err error) {
	defer s.done("DeleteMessage", time.Now(), &err)
	return s.Store.DeleteMessage(ctx, id, at)
}

func (s *timedStore) MessageByID(ctx context.Context, id string) (a *chat.Message, err error) {
	defer s.done("MessageByID", time.Now(), &err)
	return s.Store.MessageByID(ctx, id)
}

func (s *timedStore) ListMessages(ctx context.Context, f chat.MessageFilter) (a []chat.Message, b int, err error) {
	defer s.done("ListMessages", time.Now(), &err)
	return s.Store.ListMessages(ctx, f)
}

func (s *timedStore) CountMessages(ctx context.Context, f chat.MessageFilter) (a int, err error) {
	defer s.done("CountMessages", time.Now(), &err)
	return s.Store.CountMessages(ctx, f)
}

func (s *timedStore) DeletedMessages(ctx context.Context, roomID string, since time.Time, offset, limit int) (a []chat.Removal, b int, err error) {
	defer s.done("DeletedMessages", time.Now(), &err)
	return s.Store.DeletedMessages(ctx, roomID, since, offset, limit)
}

func (s *timedStore) StarMessage(ctx context.Context, messageID, userID string) (err error) {
	defer s.done("StarMessage", time.Now(), &err)
	return s.Store.StarMessage(ctx, messageID, userID)
}

func (s *timedStore) UnstarMessage(ctx context.Context, messageID, userID string) (err error) {
	defer s.done("UnstarMessage", time.Now(), &err)
	return s.Store.UnstarMessage(ctx, messageID, userID)
}

func (s *timedStore) SetThreadRead(ctx context.Context, tmid, userID string, at time.Time) (err error) {
	defer s.done("SetThreadRead", time.Now(), &err)
	return s.Store.SetThreadRead(ctx, tmid, userID, at)
}

func (s *timedStore) UnreadThreads(ctx context.Context, roomID, userID string) (a []string, err error) {
	defer s.done("UnreadThreads", time.Now(), &err)
	return s.Store.UnreadThreads(ctx, roomID, userID)
}

func (s *timedStore) CreateTeam(ctx context.Context, t *chat.Team) (err error) {
	defer s.done("CreateTeam", time.Now(), &err)
	return s.Store.CreateTeam(ctx, t)
}

func (s *timedStore) UpdateTeam(ctx context.Context, t *chat.Team) (err error) {
	defer s.done("UpdateTeam", time.Now(), &err)
	return s.Store.UpdateTeam(ctx, t)
}

func (s *timedStore) DeleteTeam(ctx context.Context, id string) (err error) {
	defer s.done("DeleteTeam", time.Now(), &err)
	return s.Store.DeleteTeam(ctx, id)
}

func (s *timedStore) TeamByID(ctx context.Context, id string) (a *chat.Team, err error) {
	defer s.done("TeamByID", time.Now(), &err)
	return s.Store.TeamByID(ctx, id)
}

func (s *timedStore) TeamByName(ctx context.Context, name string) (a *chat.Team, err error) {
	defer s.done("TeamByName", time.Now(), &err)
	return s.Store.TeamByName(ctx, name)
}

func (s *timedStore) TeamByRoomID(ctx context.Context, roomID string) (a *chat.Team, err error) {
	defer s.done("TeamByRoomID", time.Now(), &err)
	return s.Store.TeamByRoomID(ctx, roomID)
}

func (s *timedStore) ListTeams(ctx context.Context, f chat.RoomFilter) (a []chat.Team, b int, err error) {
	defer s.done("ListTeams", time.Now(), &err)
	return s.Store.ListTeams(ctx, f)
}

func (s *timedStore) AddTeamMember(ctx context.Context, m *chat.TeamMember) (err error) {
	defer s.done("AddTeamMember", time.Now(), &err)
	return s.Store.AddTeamMember(ctx, m)
}

func (s *timedStore) RemoveTeamMember(ctx context.Context, teamID, userID string) (err error) {
	defer s.done("RemoveTeamMember", time.Now(), &err)
	return s.Store.RemoveTeamMember(ctx, teamID, userID)
}

func (s *timedStore) TeamMember(ctx context.Context, teamID, userID string) (a *chat.TeamMember, err error) {
	defer s.done("TeamMember", time.Now(), &err)
	return s.Store.TeamMember(ctx, teamID, userID)
}

func (s *timedStore) TeamMembers(ctx context.Context, teamID string, offset, limit int) (a []chat.TeamMember, b int, err error) {
	defer s.done("TeamMembers", time.Now(), &err)
	return s.Store.TeamMembers(ctx, teamID, offset, limit)
}

func (s *timedStore) TeamsOfUser(ctx context.Context, userID string) (a []chat.Team, err error) {
	defer s.done("TeamsOfUser", time.Now(), &err)
	return s.Store.TeamsOfUser(ctx, userID)
}

func (s *timedStore) UpsertSetting(ctx context.Context, v *chat.Setting) (err error) {
	defer s.done("UpsertSetting", time.Now(), &err)
	return s.Store.UpsertSetting(ctx, v)
}

func (s *timedStore) SetSettingValue(ctx context.Context, id string, value any, envLocked bool, at time.Time) (err error) {
	defer s.done("SetSettingValue", time.Now(), &err)
	return s.Store.SetSettingValue(ctx, id, value, envLocked, at)
}

func (s *timedStore) SettingByID(ctx context.Context, id string) (a *chat.Setting, err error) {
	defer s.done("SettingByID", time.Now(), &err)
	return s.Store.SettingByID(ctx, id)
}

func (s *timedStore) Settings(ctx context.Context, since time.Time) (a []chat.Setting, err error) {
	defer s.done("Settings", time.Now(), &err)
	return s.Store.Settings(ctx, since)
}

func (s *timedStore) UpsertPermission(ctx context.Context, p *chat.Permission) (err error) {
	defer s.done("UpsertPermission", time.Now(), &err)
	return s.Store.UpsertPermission(ctx, p)
}

func (s *timedStore) InsertPermissionIfMissing(ctx context.Context, p *chat.Permission) (err error) {
	defer s.done("InsertPermissionIfMissing", time.Now(), &err)
	return s.Store.InsertPermissionIfMissing(ctx, p)
}

func (s *timedStore) PermissionByID(ctx context.Context, id string) (a *chat.Permission, err error) {
	defer s.done("PermissionByID", time.Now(), &err)
	return s.Store.PermissionByID(ctx, id)
}

func (s *timedStore) Permissions(ctx context.Context, since time.Time) (a []chat.Permission, err error) {
	defer s.done("Permissions", time.Now(), &err)
	return s.Store.Permissions(ctx, since)
}

func (s *timedStore) UpsertRole(ctx context.Context, r *chat.Role) (err error) {
	defer s.done("UpsertRole", time.Now(), &err)
	return s.Store.UpsertRole(ctx, r)
}

func (s *timedStore) Roles(ctx context.Context) (a []chat.Role, err error) {
	defer s.done("Roles", time.Now(), &err)
	return s.Store.Roles(ctx)
}

func (s *timedStore) RoleByID(ctx context.Context, id string) (a *chat.Role, err error) {
	defer s.done("RoleByID", time.Now(), &err)
	return s.Store.RoleByID(ctx, id)
}

// File store methods.

func (s *timedStore) CreateUpload(ctx context.Context, u *chat.Upload) (err error) {
	defer s.done("CreateUpload", time.Now(), &err)
	return s.Store.CreateUpload(ctx, u)
}

func (s *timedStore) UpdateUpload(ctx context.Context, u *chat.Upload) (err error) {
	defer s.done("UpdateUpload", time.Now(), &err)
	return s.Store.UpdateUpload(ctx, u)
}

func (s *timedStore) UploadByID(ctx context.Context, id string) (a *chat.Upload, err error) {
	defer s.done("UploadByID", time.Now(), &err)
	return s.Store.UploadByID(ctx, id)
}

func (s *timedStore) ListUploads(ctx context.Context, f chat.UploadFilter) (a []chat.Upload, b int, err error) {
	defer s.done("ListUploads", time.Now(), &err)
	return s.Store.ListUploads(ctx, f)
}

func (s *timedStore) DeleteUpload(ctx context.Context, id string) (err error) {
	defer s.done("DeleteUpload", time.Now(), &err)
	return s.Store.DeleteUpload(ctx, id)
}

func (s *timedStore) UploadsToPurge(ctx context.Context, staleBefore, now time.Time, limit int) (a []chat.Upload, err error) {
	defer s.done("UploadsToPurge", time.Now(), &err)
	return s.Store.UploadsToPurge(ctx, staleBefore, now, limit)
}

func (s *timedStore) PurgeUpload(ctx context.Context, id string) (err error) {
	defer s.done("PurgeUpload", time.Now(), &err)
	return s.Store.PurgeUpload(ctx, id)
}

func (s *timedStore) WriteChunk(ctx context.Context, uploadID string, n int, data []byte) (err error) {
	defer s.done("WriteChunk", time.Now(), &err)
	return s.Store.WriteChunk(ctx, uploadID, n, data)
}

func (s *timedStore) ReadChunk(ctx context.Context, uploadID string, n int) (a []byte, err error) {
	defer s.done("ReadChunk", time.Now(), &err)
	return s.Store.ReadChunk(ctx, uploadID, n)
}

func (s *timedStore) OpenChunks(ctx context.Context, uploadID string) (a chat.ChunkReader, err error) {
	defer s.done("OpenChunks", time.Now(), &err)
	return s.Store.OpenChunks(ctx, uploadID)
}

func (s *timedStore) DeleteChunks(ctx context.Context, uploadID string) (err error) {
	defer s.done("DeleteChunks", time.Now(), &err)
	return s.Store.DeleteChunks(ctx, uploadID)
}

func (s *timedStore) AvatarOf(ctx context.Context, userID, roomID string) (a *chat.Upload, err error) {
	defer s.done("AvatarOf", time.Now(), &err)
	return s.Store.AvatarOf(ctx, userID, roomID)
}

func (s *timedStore) CreateIntegration(ctx context.Context, in *chat.Integration) (err error) {
	defer s.done("CreateIntegration", time.Now(), &err)
	return s.Store.CreateIntegration(ctx, in)
}

func (s *timedStore) UpdateIntegration(ctx context.Context, in *chat.Integration) (err error) {
	defer s.done("UpdateIntegration", time.Now(), &err)
	return s.Store.UpdateIntegration(ctx, in)
}

func (s *timedStore) DeleteIntegration(ctx context.Context, id string) (err error) {
	defer s.done("DeleteIntegration", time.Now(), &err)
	return s.Store.DeleteIntegration(ctx, id)
}

func (s *timedStore) IntegrationByID(ctx context.Context, id string) (a *chat.Integration, err error) {
	defer s.done("IntegrationByID", time.Now(), &err)
	return s.Store.IntegrationByID(ctx, id)
}

func (s *timedStore) ListIntegrations(ctx context.Context, f chat.IntegrationFilter) (a []chat.Integration, b int, err error) {
	defer s.done("ListIntegrations", time.Now(), &err)
	return s.Store.ListIntegrations(ctx, f)
}

func (s *timedStore) AddIntegrationHistory(ctx context.Context, h *chat.IntegrationHistory) (err error) {
	defer s.done("AddIntegrationHistory", time.Now(), &err)
	return s.Store.AddIntegrationHistory(ctx, h)
}

func (s *timedStore) UpdateIntegrationHistory(ctx context.Context, h *chat.IntegrationHistory) (err error) {
	defer s.done("UpdateIntegrationHistory", time.Now(), &err)
	return s.Store.UpdateIntegrationHistory(ctx, h)
}

func (s *timedStore) IntegrationHistory(ctx context.Context, integrationID string, offset, limit int) (a []chat.IntegrationHistory, b int, err error) {
	defer s.done("IntegrationHistory", time.Now(), &err)
	return s.Store.IntegrationHistory(ctx, integrationID, offset, limit)
}

func (s *timedStore) IntegrationRun(ctx context.Context, integrationID, id string) (h *chat.IntegrationHistory, err error) {
	defer s.done("IntegrationRun", time.Now(), &err)
	return s.Store.IntegrationRun(ctx, integrationID, id)
}

func (s *timedStore) ClearIntegrationHistory(ctx context.Context, integrationID string) (err error) {
	defer s.done("ClearIntegrationHistory", time.Now(), &err)
	return s.Store.ClearIntegrationHistory(ctx, integrationID)
}
