Echoes exactly three bytes
,.,.,.
