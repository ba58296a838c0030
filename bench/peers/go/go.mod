module gort/bench/peers/go

go 1.19
