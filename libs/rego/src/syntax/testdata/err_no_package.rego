p := 1
q := 2
package late
r := 3
s := [
