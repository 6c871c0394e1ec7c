module github.com/mizan-osint/mizan

go 1.26
