package staff

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// Role is what a user may do; a user may hold several.
type Role string

// Roles.
const (
	RoleAdmin      Role = "admin"
	RoleAdvisor    Role = "advisor"
	RoleUnitLeader Role = "unit_leader"
	RoleFollowUp   Role = "follow_up"
	RoleCouncil    Role = "council"
)

// Grant is one role, scoped to units where the role is unit-bound.
type Grant struct {
	Role  Role     `bson:"role"`
	Units []string `bson:"units,omitempty"`
}

// User is a member of staff or of the relatives' council.
type User struct {
	ID           string    `bson:"_id"`
	Email        string    `bson:"email"`
	Name         string    `bson:"name"`
	Grants       []Grant   `bson:"grants"`
	PasswordHash string    `bson:"password_hash,omitempty"`
	Active       bool      `bson:"active"`
	Created      time.Time `bson:"created"`
	// TOTP is the second factor, once enrolled; TOTPPending is a new secret
	// (sealed) waiting for its first code. Failed logins are counted apart,
	// per address and source (throttle.go), never on the user.
	TOTP        *TOTP  `bson:"totp,omitempty"`
	TOTPPending []byte `bson:"totp_pending,omitempty"`
}

// Has reports whether the user holds the role.
func (u User) Has(r Role) bool {
	for _, g := range u.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// HasAny reports whether the user holds any of the roles.
func (u User) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// UnitsFor returns the units a unit-bound role covers for this user.
func (u User) UnitsFor(r Role) []string {
	var units []string
	for _, g := range u.Grants {
		if g.Role == r {
			units = append(units, g.Units...)
		}
	}
	return units
}

// CanSeeUnit reports whether the user may see a unit's results and cases:
// admins and advisors see every unit, unit leaders and follow-up staff their own.
func (u User) CanSeeUnit(unit string) bool {
	if u.HasAny(RoleAdmin, RoleAdvisor) {
		return true
	}
	for _, g := range u.Grants {
		if g.Role != RoleUnitLeader && g.Role != RoleFollowUp {
			continue
		}
		for _, x := range g.Units {
			if x == unit {
				return true
			}
		}
	}
	return false
}

// AllRoles lists every role in the order pages show them.
var AllRoles = []Role{RoleAdmin, RoleAdvisor, RoleUnitLeader, RoleFollowUp, RoleCouncil}

// UnitBound reports whether a role is scoped to units.
func (r Role) UnitBound() bool { return r == RoleUnitLeader || r == RoleFollowUp }

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range AllRoles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("staff: unknown role %q (one of admin, advisor, unit_leader, follow_up, council)", s)
}

// ValidateGrants requires known roles, units for unit-bound roles and none for the rest.
func ValidateGrants(gs []Grant) error {
	if len(gs) == 0 {
		return errors.New("staff: a user needs at least one role")
	}
	for _, g := range gs {
		if _, err := ParseRole(string(g.Role)); err != nil {
			return err
		}
		if g.Role.UnitBound() && len(g.Units) == 0 {
			return fmt.Errorf("staff: role %s needs at least one unit", g.Role)
		}
		if !g.Role.UnitBound() && len(g.Units) > 0 {
			return fmt.Errorf("staff: role %s is not limited to units", g.Role)
		}
	}
	return nil
}

const colUsers = "users"

// Store reads and writes staff data.
type Store struct {
	db *mongo.Database
	// userLocks serializes read-modify-write of one user document.
	userLocks *store.KeyedMutex
	keys      *keys
	login     *loginState
	// beforeCounterWrite, when set, runs between reading and writing a
	// login counter: tests use it to play a second instance.
	beforeCounterWrite func(id string)
}

// userLocks is shared by every Store of the process: handlers and commands
// may each make their own Store on the same database.
var userLocks store.KeyedMutex

// processKeys are the keys of stores without a configured secret: random,
// but the same for every store of the process.
var processKeys = sync.OnceValue(randomKeys)

// NewStore returns a staff store on db with the default login policy; see
// WithSecret for keys shared by several instances.
func NewStore(db *mongo.Database) *Store {
	return (&Store{db: db, userLocks: &userLocks, keys: processKeys()}).WithLoginPolicy(LoginPolicy{})
}

// Indexes lists the indexes the staff domain needs.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: colUsers, Keys: bson.D{{Key: "email", Value: 1}}, Unique: true},
		{Collection: colSessions, Keys: bson.D{{Key: "user_id", Value: 1}}},
		{Collection: colAudit, Keys: bson.D{{Key: "at", Value: -1}}},
		{Collection: colChallenges, Keys: bson.D{{Key: "user_id", Value: 1}}},
	}
}

// NormalizeEmail lower-cases and checks an address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", fmt.Errorf("staff: %q is not an e-mail address", s)
	}
	return s, nil
}

// CreateUser stores a new user with a hashed password (empty: no password yet).
func (s *Store) CreateUser(ctx context.Context, u User, password string) (User, error) {
	email, err := NormalizeEmail(u.Email)
	if err != nil {
		return User{}, err
	}
	u.Email = email
	if err := ValidateGrants(u.Grants); err != nil {
		return User{}, err
	}
	if password != "" {
		if err := CheckPolicy(password, email); err != nil {
			return User{}, err
		}
		if u.PasswordHash, err = HashPassword(password); err != nil {
			return User{}, err
		}
	}
	if u.ID == "" {
		u.ID = newID()
	}
	u.Active = true
	if u.Created.IsZero() {
		u.Created = time.Now().UTC()
	}
	if _, err := s.db.Collection(colUsers).InsertOne(ctx, u); err != nil {
		if store.IsDuplicate(err) {
			return User{}, fmt.Errorf("staff: a user with e-mail %s already exists", email)
		}
		return User{}, fmt.Errorf("staff: unable to create user: %w", err)
	}
	return u, nil
}

// UserByEmail finds a user by address.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "email", Value: strings.ToLower(strings.TrimSpace(email))}}).Decode(&u)
	if err != nil {
		return User{}, fmt.Errorf("staff: unable to find user: %w", err)
	}
	return u, nil
}

// User finds a user by id.
func (s *Store) User(ctx context.Context, id string) (User, error) {
	var u User
	if err := s.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&u); err != nil {
		return User{}, fmt.Errorf("staff: unable to find user: %w", err)
	}
	return u, nil
}

// Users lists every user by e-mail.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	us, err := store.FindAll[User](ctx, s.db.Collection(colUsers), bson.D{}, options.Find().SetSort(bson.D{{Key: "email", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("staff: unable to list users: %w", err)
	}
	return us, nil
}

// UpdateUser changes a user's name, roles and active flag. Deactivating a
// user also ends every session of theirs.
func (s *Store) UpdateUser(ctx context.Context, id, name string, grants []Grant, active bool) error {
	if err := ValidateGrants(grants); err != nil {
		return err
	}
	defer s.userLocks.Lock(id)()
	res, err := s.db.Collection(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: name}, {Key: "grants", Value: grants}, {Key: "active", Value: active}}}})
	if err != nil {
		return fmt.Errorf("staff: unable to update user: %w", err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("staff: unable to update user: %w", mongo.ErrNoDocuments)
	}
	if !active {
		return s.EndAllSessions(ctx, id)
	}
	return nil
}

// SetPassword replaces a user's password after checking the policy and ends
// every session. It also removes the failure counters that older versions
// kept on the user.
func (s *Store) SetPassword(ctx context.Context, id, password string) error {
	u, err := s.User(ctx, id)
	if err != nil {
		return err
	}
	if err := CheckPolicy(password, u.Email); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	defer s.userLocks.Lock(id)()
	_, err = s.db.Collection(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "password_hash", Value: hash}}},
		{Key: "$unset", Value: bson.D{{Key: "failed_logins", Value: ""}, {Key: "locked_until", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("staff: unable to set password: %w", err)
	}
	return s.EndAllSessions(ctx, id)
}

// CountUsers counts every user.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.db.Collection(colUsers).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("staff: unable to count users: %w", err)
	}
	return n, nil
}

func newID() string { return random.Hex(12) }
