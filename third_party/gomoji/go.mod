module github.com/forPelevin/gomoji

go 1.21

require github.com/rivo/uniseg v0.4.3
