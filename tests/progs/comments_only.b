This program has only words and digits 0123 and symbols like @ # $ % ^ & * ( ) { }
and UTF8 letters: ø ß 日本 and no command at all
