"""English date and time formats of the portal. Django's English times end in "a.m." /
"p.m.", so a sentence ending with a time read "until 11:59 a.m.." (a double period);
the portal writes "11:59 AM" instead. Everything not set here is Django's."""

TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "N j, Y, g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
