# entrypoints: g/names
package g

names contains u.name if {
	some u in input.users
	u.active
}
