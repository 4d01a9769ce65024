# Functions over the session's tool-call history (input.session.history, oldest first) for
# policy authors: tool patterns, labels seen, ordering and counts in time windows.
#
# "Executed" steps are those Arbiter allowed or sent to a human (ask): their effects may
# exist. A denied step never ran, so it read nothing. Client-sent entries without a decision
# count as executed (the strict reading). Counting helpers say which of the two they use.
package lib.sequence

import data.lib.catalog

default history := []

history := input.session.history if is_array(input.session.history)

default now := 0

now := input.now_ns if is_number(input.now_ns)

now := time.now_ns() if not is_number(input.now_ns)

executed(h) if h.decision in {"allow", "ask"}

executed(h) if not h.decision

# Catalog labels of every history step by position (computed once per decision): listed
# tools through the catalog index, the rest (server defaults, unknown tools) the slow way.
history_labels := {i: ls | some i, h in history; ls := step_labels(i, h)}

step_labels(i, _) := catalog.label_index[history_ids[i]]

step_labels(i, h) := catalog.labels(h.tool) if not catalog.label_index[history_ids[i]]

# Every label an executed step carried.
labels_seen contains l if {
	some i, h in history
	executed(h)
	some l in history_labels[i]
}

# Positions (0-based indexes into history) of executed steps carrying a label.
label_positions(label) := {i |
	some i, h in history
	executed(h)
	label in history_labels[i]
}

# Position of the first executed step carrying a label; undefined if none did.
first_position(label) := min(ps) if {
	ps := label_positions(label)
	count(ps) > 0
}

# An executed step carrying label_a came before (or was) an executed step carrying label_b.
label_before(label_a, label_b) if {
	a := first_position(label_a)
	some b in label_positions(label_b)
	a <= b
}

# "server/tool", the string tool patterns match; an unresolved server is empty ("/name").
tool_id(tool) := concat("/", [s, tool.name]) if {
	s := catalog.server_of(tool)
}

tool_id(tool) := concat("/", ["", tool.name]) if {
	is_string(tool.name)
	not catalog.server_of(tool)
}

# Glob on "server/tool" with "/" as delimiter: "github/*", "*/delete_*", "*/*".
matches(pattern, tool) if glob.match(pattern, ["/"], tool_id(tool))

# Executed steps whose tool matches a pattern, oldest first.
calls(pattern) := [h | some h in history; executed(h); matches(pattern, h.tool)]

# Every attempted step (any decision) whose tool matches a pattern.
attempts(pattern) := [h | some h in history; matches(pattern, h.tool)]

# Some executed step matching pattern_a came strictly before an executed step matching pattern_b.
happened_before(pattern_a, pattern_b) if {
	firsts := {i | some i, h in history; executed(h); matches(pattern_a, h.tool)}
	count(firsts) > 0
	some j, h in history
	executed(h)
	matches(pattern_b, h.tool)
	min(firsts) < j
}

# The step happened at most `seconds` before now. A step without a time counts (strict).
within(h, seconds) if now - h.time_ns <= seconds * 1000000000

within(h, _) if not is_number(h.time_ns)

# Attempts matching a pattern within the last `seconds`.
count_within(pattern, seconds) := count([1 | some h in history; within(h, seconds); matches(pattern, h.tool)])

# "server/tool" of every history step by position (computed once per decision); a step
# without a tool name has no id and matches nothing.
history_ids := {i: id | some i, h in history; id := tool_id(h.tool)}

# Attempts (any decision) of the same tool (same resolved "server/tool") within the last
# `seconds`. Exact match, no glob: the hot path for rate rules.
tool_attempts_within(tool, seconds) := count([1 |
	id := tool_id(tool)
	some i, h in history
	history_ids[i] == id
	within(h, seconds)
])

# Executed calls of the same tool in the whole session.
tool_executed_count(tool) := count([1 |
	id := tool_id(tool)
	some i, h in history
	history_ids[i] == id
	executed(h)
])

# Executed steps carrying a label within the last `seconds`.
label_count_within(label, seconds) := count([1 |
	some i, h in history
	executed(h)
	label in history_labels[i]
	within(h, seconds)
])
