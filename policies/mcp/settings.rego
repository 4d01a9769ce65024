# Thresholds and switches from data.config (policies/config/data.yaml), each with a fallback
# so a missing or partial config still gives a strict, working policy.
package mcp

trusted_issuers := {i | some i in data.config.trusted_issuers}

num_setting(section, key, fallback) := v if {
	v := data.config[section][key]
	is_number(v)
} else := fallback

# Flow rules answer deny unless their section says `mode: ask`.
mode_setting(section) := "ask" if {
	data.config[section].mode == "ask"
} else := "deny"

loop_max_repeats := num_setting("loop", "max_repeats", 10)

loop_window_seconds := num_setting("loop", "window_seconds", 60)

session_max_calls := num_setting("session", "max_calls", 200)

destructive_max_calls := num_setting("destructive", "max_calls", 5)

destructive_window_seconds := num_setting("destructive", "window_seconds", 600)

toxic_flow_effect := mode_setting("toxic_flow")

trifecta_effect := mode_setting("trifecta")

# Any freeze value but `false` freezes (`freeze: yes` is the string "yes" in YAML 1.2, and an
# operator who wrote it meant it; integrity.rego also reports it).
frozen if {
	f := data.config.freeze
	f != false
}
