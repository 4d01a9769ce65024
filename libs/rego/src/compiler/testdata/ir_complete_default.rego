# entrypoints: g/allow
package g

default allow := false

allow if {
	input.user == "admin"
}
