from django.urls import path

from . import views

app_name = "acsa"

urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("orders/", views.order_list, name="orders"),
    path("orders.csv", views.order_export, name="orders_csv"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/<slug:step>/", views.order_step, name="order_step"),
]
