# mypy: ignore-errors
"""On a server this module adapts the server-side `Demisto` class; locally there is no such class, so it does nothing.

CommonServerPython ends with `from DemistoClassApiModule import *`, so this module must exist and be importable.
"""
