#!/usr/bin/env bats
# The documentation that ships with fanout: the manual page is clean and
# every long option that --help lists is documented in the manual page
# and in the compatibility notes.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

setup() {
	fanout_setup
	[[ -n ${FANOUT_SRCDIR:-} ]] || skip "FANOUT_SRCDIR (the top of the source tree) is not set"
	MAN=$FANOUT_SRCDIR/doc/fanout.1
	COMPAT=$FANOUT_SRCDIR/doc/compatibility.md
}

# help_long_options: the long options that `fanout --help' prints, one a line.
help_long_options() {
	"$FANOUT" --help </dev/null 2>&1 | grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u
}

# man_text: the manual page as plain text: rendered by mandoc when it is
# installed, else its source with the roff and mdoc spellings of dashes
# undone, so that `\-\-jobs' and `Fl -jobs' both read `--jobs'.
man_text() {
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -Tascii -O width=200 "$MAN" | sed 's/.\x08//g'
	else
		sed -e 's/\\-/-/g' -e 's/\\(hy/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' \
			-e 's/Fl -/--/g' "$MAN"
	fi
}

# documented TEXT-FILE: every long option of --help appears in the file
# as a whole word.
documented() {
	local opts opt missing=
	opts=$(help_long_options)
	[ -n "$opts" ] || {
		echo "fanout --help lists no long options" >&2
		return 1
	}
	for opt in $opts; do
		grep -qE -- "(^|[^a-z0-9-])$opt([^a-z0-9-]|\$)" "$1" || missing="$missing $opt"
	done
	[ -z "$missing" ] || {
		echo "not documented in $2:$missing" >&2
		return 1
	}
}

@test "the manual page doc/fanout.1 exists" {
	[ -f "$MAN" ]
}

@test "the manual page passes mandoc -Tlint at warning level" {
	need_cmd mandoc
	[ -f "$MAN" ]
	# Style notes depend on the machine (a stale mandoc.db, manuals of
	# tools that are not installed), so only warnings and errors count.
	run mandoc -Tlint -Wwarning "$MAN"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "the manual page renders to text that names fanout" {
	need_cmd mandoc
	[ -f "$MAN" ]
	run mandoc -Tascii "$MAN"
	[ "$status" -eq 0 ]
	[[ $output == *fanout* ]]
}

@test "every long option of --help is in the manual page" {
	fanout_only
	[ -f "$MAN" ]
	man_text >man.txt
	documented man.txt doc/fanout.1
}

@test "every long option of --help is in doc/compatibility.md" {
	fanout_only
	[ -f "$COMPAT" ]
	documented "$COMPAT" doc/compatibility.md
}
