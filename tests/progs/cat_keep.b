Cat that clears the cell before each read so the default keep mode stops it
,[.[-],]
