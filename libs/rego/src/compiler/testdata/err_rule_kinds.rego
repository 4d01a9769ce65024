package golden.kinds

p := 1

p contains 2

f(x) := x

f := 3

default d := 1

default d := 2

default s := 1

s contains 1
