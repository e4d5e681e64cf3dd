# Alder footprint: sums the input sections a GNU ld map file kept, per object file, as text/data/bss.
# It must never count discarded sections: only what follows "Linker script and memory map" is read.
#
# Output: one line per object, "object text data bss", where text is .text* + .rodata* (what
# arm-none-eabi-size calls text, less the vector table and linker padding).
# Usage: awk -f map_sizes.awk image.map

/^Linker script and memory map/ { in_map = 1; next }
!in_map { next }

# An input section line is " .name  0xADDR  0xSIZE  file", or " .name" alone with the rest on the
# next line when the name is long.
/^ \.[A-Za-z_]/ {
    pending = $1
    if (NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/) {
        add(pending, $3, $4)
        pending = ""
    }
    next
}
pending != "" && /^ +0x/ {
    if (NF >= 3) {
        add(pending, $2, $3)
    }
    pending = ""
    next
}
{ pending = "" }

function add(section, size_hex, file,    size, object) {
    size = strtonum_hex(size_hex)
    if (size == 0) return
    object = file
    sub(/.*\(/, "", object)   # archive(member.o) -> member.o)
    sub(/\)$/, "", object)
    sub(/.*\//, "", object)   # path/to/file.o -> file.o
    sub(/\.c\.obj$/, ".c.o", object) # CMake names cross-compiled objects file.c.obj
    if (section ~ /^\.(text|rodata)/) text[object] += size
    else if (section ~ /^\.data/) data[object] += size
    else if (section ~ /^\.bss|^COMMON/) bss[object] += size
    seen[object] = 1
}

function strtonum_hex(s,    n, i, c) {
    n = 0
    s = tolower(s)
    sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) {
        c = index("0123456789abcdef", substr(s, i, 1)) - 1
        n = n * 16 + c
    }
    return n
}

END {
    for (object in seen) {
        printf "%s %d %d %d\n", object, text[object], data[object], bss[object]
    }
}
