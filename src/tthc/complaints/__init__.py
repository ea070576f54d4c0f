"""Complaints and recommendations (phản ánh, kiến nghị): filed by citizens, answered by staff."""
