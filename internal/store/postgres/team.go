package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const teamColumns = `t.id, t.name, t.type, t.rid, t.created_by, t.created_at, t.updated_at`

// userRefJSON encodes a user reference for a jsonb column; the empty
// reference is {}.
func userRefJSON(r chat.UserRef) []byte {
	b, _ := json.Marshal(storedoc.UserRef(r)) // plain strings always encode
	return cleanJSON(b)
}

func fromUserRefJSON(b []byte) (chat.UserRef, error) {
	var d storedoc.UserRef
	err := fromJSON(b, &d)
	return chat.UserRef(d), err
}

func scanTeam(sc scanner) (*chat.Team, error) {
	var (
		t                chat.Team
		createdBy        []byte
		created, updated int64
	)
	if err := sc.Scan(&t.ID, &t.Name, &t.Type, &t.RoomID, &createdBy, &created, &updated); err != nil {
		return nil, err
	}
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	var err error
	t.CreatedBy, err = fromUserRefJSON(createdBy)
	return &t, err
}

func collectTeams(rows pgx.Rows, err error) ([]chat.Team, error) {
	return collect(rows, err, scanTeam)
}

func teamConflict(t *chat.Team, err error) error {
	if isUnique(err, "teams_name") {
		return conflict("team-name-already-exists", "A team with name '"+t.Name+"' exists", err)
	}
	return conflict("error-duplicate", "team "+t.ID+" already exists", err)
}

// CreateTeam inserts t; a taken id or name is EConflict.
func (s *Store) CreateTeam(ctx context.Context, t *chat.Team) error {
	return s.unit(ctx, func(c conn) error {
		_, err := c.Exec(ctx, `INSERT INTO teams (id, name, search, type, rid, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			t.ID, t.Name, fold(t.Name), t.Type, t.RoomID, userRefJSON(t.CreatedBy), ms(t.CreatedAt), ms(t.UpdatedAt))
		switch {
		case isUnique(err, ""):
			return teamConflict(t, err)
		case err != nil:
			return wrap("create team", err)
		}
		return nil
	})
}

// UpdateTeam writes every field of t.
func (s *Store) UpdateTeam(ctx context.Context, t *chat.Team) error {
	return s.unit(ctx, func(c conn) error {
		tag, err := c.Exec(ctx, `UPDATE teams SET name = $1, search = $2, type = $3, rid = $4, created_by = $5,
			created_at = $6, updated_at = $7 WHERE id = $8`,
			t.Name, fold(t.Name), t.Type, t.RoomID, userRefJSON(t.CreatedBy), ms(t.CreatedAt), ms(t.UpdatedAt), t.ID)
		switch {
		case isUnique(err, ""):
			return teamConflict(t, err)
		case err != nil:
			return wrap("update team", err)
		}
		return mustAffect(tag, "team")
	})
}

// DeleteTeam removes the team and its memberships; its rooms stay.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	tag, err := s.exec(ctx, `DELETE FROM teams WHERE id = $1`, id)
	if err != nil {
		return wrap("delete team", err)
	}
	return mustAffect(tag, "team")
}

// teamBy reads the one team that the condition selects; on a Store bound to
// a transaction the row stays locked.
func (s *Store) teamBy(ctx context.Context, op, cond string, arg any) (*chat.Team, error) {
	var t *chat.Team
	err := s.with(ctx, func(c conn) (err error) {
		t, err = scanTeam(c.QueryRow(ctx, `SELECT `+teamColumns+` FROM teams t WHERE `+cond+s.lock(""), arg))
		return err
	})
	if err != nil {
		return nil, notFound(err, "team", op)
	}
	return t, nil
}

// TeamByID returns one team.
func (s *Store) TeamByID(ctx context.Context, id string) (*chat.Team, error) {
	return s.teamBy(ctx, "team by id", `t.id = $1`, id)
}

// TeamByName returns the team with that exact name.
func (s *Store) TeamByName(ctx context.Context, name string) (*chat.Team, error) {
	return s.teamBy(ctx, "team by name", `t.name = $1`, name)
}

// TeamByRoomID returns the team whose main room is roomID.
func (s *Store) TeamByRoomID(ctx context.Context, roomID string) (*chat.Team, error) {
	return s.teamBy(ctx, "team by room", `t.rid = $1 ORDER BY t.id LIMIT 1`, roomID)
}

// teamSortColumns maps the sort fields of Rocket.Chat's teams endpoints.
var teamSortColumns = map[string]string{
	"name":       nocase("t.name"),
	"createdAt":  "t.created_at",
	"ts":         "t.created_at",
	"_updatedAt": "t.updated_at",
}

// ListTeams returns a page of teams, by name unless f.Sort says otherwise,
// and the number of matches. Of the room filter it applies Text (the team
// name), IDs (team ids) and Types (c for public teams, p for private ones).
func (s *Store) ListTeams(ctx context.Context, f chat.RoomFilter) ([]chat.Team, int, error) {
	order, err := storedoc.OrderBy(f.Sort, teamSortColumns, []chat.SortField{{Field: "name"}}, "t.id")
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.Text != "" {
		w.contains("t.search", f.Text)
	}
	if len(f.IDs) > 0 {
		w.in("t.id", f.IDs)
	}
	if len(f.Types) > 0 {
		types := []int32{}
		for _, rt := range f.Types {
			switch rt {
			case chat.RoomChannel:
				types = append(types, 0)
			case chat.RoomGroup:
				types = append(types, 1)
			}
		}
		w.add("t.type = ANY(" + w.arg(types) + "::integer[])")
	}
	var (
		teams []chat.Team
		total int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM teams t`+w.String(), w.args...).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+teamColumns+` FROM teams t`+w.String()+order+page(f.Offset, f.Limit), w.args...).
		Query(func(rows pgx.Rows) (err error) {
			teams, err = collectTeams(rows, nil)
			return err
		})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("list teams", err)
	}
	return teams, total, nil
}

const teamMemberColumns = `team_id, user_id, username, name, roles, created_by, created_at`

func scanTeamMember(sc scanner) (*chat.TeamMember, error) {
	var (
		m         chat.TeamMember
		createdBy []byte
		created   int64
	)
	if err := sc.Scan(&m.TeamID, &m.User.ID, &m.User.Username, &m.User.Name, &m.Roles, &createdBy, &created); err != nil {
		return nil, err
	}
	m.Roles = orNil(m.Roles)
	m.CreatedAt = fromMS(created)
	var err error
	m.CreatedBy, err = fromUserRefJSON(createdBy)
	return &m, err
}

// AddTeamMember inserts a membership; the user already in the team is
// EConflict, an unknown team ENotFound. Both are reported without raising
// an error, which would abort the caller's transaction.
func (s *Store) AddTeamMember(ctx context.Context, m *chat.TeamMember) error {
	var inserted, teamExists bool
	err := s.with(ctx, func(c conn) error {
		return c.QueryRow(ctx, `WITH ins AS (
				INSERT INTO team_members (`+teamMemberColumns+`)
				SELECT $1::text, $2::text, $3::text, $4::text, $5::text[], $6::jsonb, $7::bigint
				WHERE EXISTS (SELECT 1 FROM teams WHERE id = $1)
				ON CONFLICT DO NOTHING RETURNING 1)
			SELECT EXISTS (SELECT 1 FROM ins), EXISTS (SELECT 1 FROM teams WHERE id = $1)`,
			m.TeamID, m.User.ID, m.User.Username, m.User.Name, list(m.Roles), userRefJSON(m.CreatedBy),
			ms(m.CreatedAt)).Scan(&inserted, &teamExists)
	})
	switch {
	case isForeignKey(err): // the team was deleted meanwhile
		return chat.ErrNotFound("team")
	case err != nil:
		return wrap("add team member", err)
	case !teamExists:
		return chat.ErrNotFound("team")
	case !inserted:
		return conflict("error-duplicate", "user "+m.User.ID+" is already in team "+m.TeamID, nil)
	}
	return nil
}

// RemoveTeamMember removes a membership; a missing one is ENotFound.
func (s *Store) RemoveTeamMember(ctx context.Context, teamID, userID string) error {
	tag, err := s.exec(ctx, `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2`, teamID, userID)
	if err != nil {
		return wrap("remove team member", err)
	}
	return mustAffect(tag, "team member")
}

// TeamMember returns one membership; on a Store bound to a transaction the
// row stays locked.
func (s *Store) TeamMember(ctx context.Context, teamID, userID string) (*chat.TeamMember, error) {
	var m *chat.TeamMember
	err := s.with(ctx, func(c conn) (err error) {
		m, err = scanTeamMember(c.QueryRow(ctx, `SELECT `+teamMemberColumns+` FROM team_members
			WHERE team_id = $1 AND user_id = $2`+s.lock(""), teamID, userID))
		return err
	})
	if err != nil {
		return nil, notFound(err, "team member", "team member")
	}
	return m, nil
}

// TeamMembers returns a page of a team's members, oldest first, and their
// number. limit 0 means no limit.
func (s *Store) TeamMembers(ctx context.Context, teamID string, offset, limit int) ([]chat.TeamMember, int, error) {
	var (
		out   []chat.TeamMember
		total int
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM team_members WHERE team_id = $1`, teamID).QueryRow(func(r pgx.Row) error { return r.Scan(&total) })
	b.Queue(`SELECT `+teamMemberColumns+` FROM team_members WHERE team_id = $1
		ORDER BY created_at, user_id`+page(offset, limit), teamID).Query(func(rows pgx.Rows) (err error) {
		out, err = collect(rows, nil, scanTeamMember)
		return err
	})
	if err := s.snapshot(ctx, b); err != nil {
		return nil, 0, wrap("team members", err)
	}
	return out, total, nil
}

// TeamsOfUser returns the teams the user is a member of, by name.
func (s *Store) TeamsOfUser(ctx context.Context, userID string) ([]chat.Team, error) {
	var teams []chat.Team
	err := s.with(ctx, func(c conn) (err error) {
		teams, err = collectTeams(c.Query(ctx, `SELECT `+teamColumns+` FROM team_members tm
			JOIN teams t ON t.id = tm.team_id WHERE tm.user_id = $1 ORDER BY t.name, t.id`, userID))
		return err
	})
	if err != nil {
		return nil, wrap("teams of user", err)
	}
	return teams, nil
}
