app_name = "acsa"

urlpatterns: list[object] = []
