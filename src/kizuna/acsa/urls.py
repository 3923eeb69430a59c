from django.urls import path

from . import views

app_name = "acsa"

urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("orders/", views.order_list, name="orders"),
    path("netting/", views.netting, name="netting"),
    path("netting/propose/", views.netting_propose, name="netting_propose"),
    path("netting/<pid:pk>/approve/", views.netting_approve, name="netting_approve"),
    path("orders.csv", views.order_export, name="orders_csv"),
    path("orders.xlsx", views.order_export_xlsx, name="orders_xlsx"),
    path("balances.svg", views.balances_chart, name="balances_chart"),
    path("claim-notices/<pid:pk>.pdf", views.claim_notice_pdf, name="claim_notice_pdf"),
    path("orders/<pid:pk>.pdf", views.order_pdf, name="order_pdf"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<pid:pk>/", views.order_detail, name="order"),
    path(
        "orders/<pid:pk>/lines/<pid:line_id>/deliveries/",
        views.delivery_new,
        name="delivery_new",
    ),
    path(
        "orders/<pid:pk>/deliveries/<pid:delivery_id>/receipt/",
        views.delivery_receipt,
        name="delivery_receipt",
    ),
    path(
        "orders/<pid:pk>/deliveries/<pid:delivery_id>/settle/",
        views.delivery_settle,
        name="delivery_settle",
    ),
    path("orders/<pid:pk>/<slug:step>/", views.order_step, name="order_step"),
]
