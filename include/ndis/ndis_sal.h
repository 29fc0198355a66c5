/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS surface: SAL annotations and WDK declaration decorations defined
 * away, so that miniport code written with _In_, _Use_decl_annotations_,
 * _IRQL_requires_(...) and friends compiles with gcc and clang unchanged.
 * Also the export decoration of every NDIS function (NDIS_API).
 */
#ifndef NDIS_SAL_H
#define NDIS_SAL_H

/* ---- visibility: the library is built with -fvisibility=hidden ---- */
#if defined(__GNUC__) || defined(__clang__)
#define NDIS_API __attribute__((visibility("default")))
#else
#define NDIS_API
#endif

/* WDK: EXPORT is empty for drivers. */
#ifndef EXPORT
#define EXPORT
#endif
#ifndef NTKERNELAPI
#define NTKERNELAPI
#endif
#ifndef NTAPI
#define NTAPI
#endif
#ifndef FASTCALL
#define FASTCALL
#endif
#ifndef FORCEINLINE
#define FORCEINLINE static inline
#endif
#ifndef CFORCEINLINE
#define CFORCEINLINE static inline
#endif
#ifndef __forceinline
#define __forceinline static inline
#endif
#ifndef DECLSPEC_ALIGN
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#endif
#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#endif
#ifndef EXTERN_C
#ifdef __cplusplus
#define EXTERN_C extern "C"
#define EXTERN_C_START extern "C" {
#define EXTERN_C_END }
#else
#define EXTERN_C extern
#define EXTERN_C_START
#define EXTERN_C_END
#endif
#endif

/* Old-style parameter annotations. */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

/* Nameless unions and structs are C11. */
#ifndef DUMMYUNIONNAME
#define DUMMYUNIONNAME
#define DUMMYUNIONNAME2
#define DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME2
#endif

/* ---- SAL 2 annotations: all empty ---- */
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _Inout_
#define _Inout_opt_
#define _Out_
#define _Out_opt_
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_result_bytebuffer_(s)
#define _In_reads_(s)
#define _In_reads_opt_(s)
#define _In_reads_bytes_(s)
#define _In_reads_bytes_opt_(s)
#define _Out_writes_(s)
#define _Out_writes_opt_(s)
#define _Out_writes_bytes_(s)
#define _Out_writes_bytes_opt_(s)
#define _Out_writes_bytes_all_(s)
#define _Out_writes_bytes_to_(s, c)
#define _Inout_updates_(s)
#define _Inout_updates_bytes_(s)
#define _Field_size_(s)
#define _Field_size_bytes_(s)
#define _Field_range_(a, b)
#define _Struct_size_bytes_(s)
#define _Inexpressible_(x)
#define _Points_to_data_
#define _Notliteral_
#define _Literal_
#define _Must_inspect_result_
#define _Check_return_
#define _Success_(e)
#define _Return_type_success_(e)
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Post_invalid_
#define _Post_writable_byte_size_(s)
#define _Pre_satisfies_(e)
#define _Post_satisfies_(e)
#define _Enum_is_bitflag_
#define _When_(c, a)
#define _Use_decl_annotations_
#define _Function_class_(x)
#define _Analysis_assume_(e)
#define _Requires_lock_held_(l)
#define _Requires_lock_not_held_(l)
#define _Acquires_lock_(l)
#define _Releases_lock_(l)
#define _Guarded_by_(l)
#define _Interlocked_operand_
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_requires_resource_held_(r)
#define _Kernel_clear_do_init_(x)
#define _Dispatch_type_(x)
#define _IRQL_requires_(irql)
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_min_(irql)
#define _IRQL_requires_same_
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_saves_global_(kind, param)
#define _IRQL_restores_
#define _IRQL_restores_global_(kind, param)
#define _IRQL_always_function_max_(irql)
#define _IRQL_always_function_min_(irql)
#define _IRQL_uses_cancel_
#define _IRQL_is_cancel_
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)
#define __drv_aliasesMem
#define __drv_when(c, a)
#define __drv_requiresIRQL(irql)
#define __drv_maxIRQL(irql)
#define __drv_minIRQL(irql)
#define __drv_setsIRQL(irql)
#define __drv_savesIRQL
#define __drv_restoresIRQL
#define __drv_raisesIRQL(irql)
#define __drv_functionClass(x)
#define __drv_Mode_impl(x)
#define __drv_dispatchType(x)
#define __in
#define __in_opt
#define __out
#define __out_opt
#define __inout
#define __inout_opt

/*
 * WDK miniport sources carry MSVC pragmas (#pragma NDIS_INIT_FUNCTION(f),
 * alloc_text, warning(disable:...), prefast). gcc and clang ignore them but
 * warn under -Wall (-Wunknown-pragmas); in a miniport build those warnings
 * are turned off so that such sources compile unchanged with -Werror.
 */
#if defined(NDIS_MINIPORT_DRIVER) && (defined(__GNUC__) || defined(__clang__))
#pragma GCC diagnostic ignored "-Wunknown-pragmas"
#endif
#define NDIS_INIT_FUNCTION(_F) alloc_text(INIT, _F)
#define NDIS_PAGABLE_FUNCTION(_F) alloc_text(PAGE, _F)
#define NDIS_PAGEABLE_FUNCTION(_F) alloc_text(PAGE, _F)

#endif /* NDIS_SAL_H */
