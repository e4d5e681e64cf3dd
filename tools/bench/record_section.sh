#!/bin/sh
# Alder benchmarks: replace one named section of docs/benchmarks.md with standard input.
# It must never touch the other sections: each benchmark owns the text between its two markers.
#
# Usage: record_section.sh FILE NAME < section.md
set -eu
file=$1
name=$2
begin="<!-- begin $name -->"
end="<!-- end $name -->"
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat > "$new.body"
if [ ! -f "$file" ]; then
    printf '# Alder benchmarks\n\nEach section is written by the command it names; `make bench` and `make size` rewrite them.\n' > "$file"
fi
if grep -qF "$begin" "$file"; then
    awk -v b="$begin" -v e="$end" -v body="$new.body" '
        $0 == b { print; while ((getline line < body) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$file" > "$new"
else
    { cat "$file"; printf '\n%s\n' "$begin"; cat "$new.body"; printf '%s\n' "$end"; } > "$new"
fi
rm -f "$new.body"
cp "$new" "$file"
