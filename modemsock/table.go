package modemsock

import "iter"

// Table numbers a host's sockets as its dialect does: a fixed range of
// IDs, First to First+Len-1 (a BG96's connectIDs 0 to 11, a Telit's
// connection IDs 1 to 6), each free or holding one entry. It belongs to
// the embedder's goroutine, like the rest of the core.
type Table[T any] struct {
	first int
	slots []*T
}

// NewTable returns a table of n free IDs from first on.
func NewTable[T any](first, n int) *Table[T] {
	return &Table[T]{first: first, slots: make([]*T, max(n, 0))}
}

// Valid reports whether id is in the table's range.
func (t *Table[T]) Valid(id int) bool { return id >= t.first && id < t.first+len(t.slots) }

// Get returns the entry of id, nil if id is free or out of range.
func (t *Table[T]) Get(id int) *T {
	if !t.Valid(id) {
		return nil
	}
	return t.slots[id-t.first]
}

// Set puts v at id, replacing what was there; it reports false, doing
// nothing, if id is out of range.
func (t *Table[T]) Set(id int, v *T) bool {
	if !t.Valid(id) {
		return false
	}
	t.slots[id-t.first] = v
	return true
}

// Free frees id if it holds v (nil frees it whatever it holds), so that
// a late event for a replaced entry frees nothing.
func (t *Table[T]) Free(id int, v *T) {
	if t.Valid(id) && (v == nil || t.slots[id-t.first] == v) {
		t.slots[id-t.first] = nil
	}
}

// Holds reports whether id holds v.
func (t *Table[T]) Holds(id int, v *T) bool { return v != nil && t.Get(id) == v }

// Lowest returns the lowest free ID; false if none is free.
func (t *Table[T]) Lowest() (int, bool) {
	for i, v := range t.slots {
		if v == nil {
			return t.first + i, true
		}
	}
	return 0, false
}

// All yields the IDs in use and their entries, lowest first.
func (t *Table[T]) All() iter.Seq2[int, *T] {
	return func(yield func(int, *T) bool) {
		for i, v := range t.slots {
			if v != nil && !yield(t.first+i, v) {
				return
			}
		}
	}
}
