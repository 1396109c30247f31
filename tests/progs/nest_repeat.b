Four nested counting loops give two times three to the fourth power
+++[>+++[>+++[>+++[>++<-]<-]<-]<-]>>>>.
