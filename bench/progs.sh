# progs.sh — a folder of programs as the bench scripts read it, sourced by
# them: NAME.b, NAME.in its stdin where present, and an optional LIST of
# "NAME BITS" lines ('#' starts a comment) naming the programs in order with
# their cell width; without LIST every *.b runs, 8-bit (as versus.py reads it).

# progs_names DIR [NAME...]: sets 'names' to the NAMEs given, else the folder's.
progs_names() {
  local dir=$1
  shift
  names=("$@")
  [ ${#names[@]} != 0 ] && return
  if [ -f "$dir/LIST" ]; then
    mapfile -t names < <(awk '!/^#/ && NF { print $1 }' "$dir/LIST")
  else
    mapfile -t names < <(cd "$dir" && ls ./*.b | sed 's|^\./||; s|\.b$||')
  fi
}

# progs_bits DIR NAME: its cell width.
progs_bits() {
  local b
  b=$(awk -v n="$2" '$1 == n { print $2 }' "$1/LIST" 2>/dev/null)
  echo "${b:-8}"
}

# progs_in DIR NAME: its stdin.
progs_in() {
  if [ -f "$1/$2.in" ]; then echo "$1/$2.in"; else echo /dev/null; fi
}
