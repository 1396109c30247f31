é<+

Column counts bytes so a two byte letter takes two columns
